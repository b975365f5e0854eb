// Timer arithmetic, pure: the same remaining time on every screen, whatever its clock says.
//
// The server sends the timer as {state, ends_at, remaining_ms, duration_ms} (ms since
// the epoch, by the server's clock) and its own clock as `server_now` in snapshots,
// heartbeats and timer ops (docs/protocol.md §7, "Timer").

export const MUTE_KEY = "resonance.timer.muted";

// How far the server's clock is ahead of this device's: add it to Date.now().
export function clockOffset(serverNow, localNow = Date.now()) {
  return Number.isFinite(serverNow) ? serverNow - localNow : 0;
}

// Milliseconds left (never below 0), or null when the timer is stopped.
export function remainingMs(timer, offset = 0, localNow = Date.now()) {
  if (!timer || timer.state === "stopped") return null;
  if (timer.state === "paused") return Math.max(0, timer.remaining_ms ?? 0);
  return Math.max(0, timer.ends_at - (localNow + offset));
}

// "8:00", "0:05", "1:02:03": seconds rounded up, so 0:00 shows only at the end.
export function formatRemaining(ms) {
  if (ms === null || ms === undefined) return "";
  const total = Math.ceil(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

// The share of the time used, 0..1 (for a progress bar); 0 when unknown.
export function elapsedShare(timer, remaining) {
  if (!timer || !timer.duration_ms || remaining === null) return 0;
  return Math.min(1, Math.max(0, 1 - remaining / timer.duration_ms));
}

// True once, when a running timer goes from time left to none: the moment to chime.
export function justEnded(previous, current, timer) {
  return timer?.state === "running" && previous !== null && previous > 0 && current === 0;
}

export function isMuted(storage = globalThis.localStorage) {
  try {
    return storage?.getItem(MUTE_KEY) === "1";
  } catch {
    return false;
  }
}

export function setMuted(muted, storage = globalThis.localStorage) {
  try {
    if (muted) storage?.setItem(MUTE_KEY, "1");
    else storage?.removeItem(MUTE_KEY);
  } catch {
    // Private browsing may refuse storage: the choice then lasts for this page only.
  }
}
