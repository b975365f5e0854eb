// The facilitation bar: the shared timer and phase for everyone, and for facilitators
// the controls (phase stepper with back and forward, timer, settings, votes, QR code).
//
// It holds no state of its own: it renders the board state it is given (the
// `facilitation` part of a snapshot, docs/protocol.md §7) and sends ops
// through `sendOp(kind, data)`. The board page calls `update(state)` after every
// applied op or snapshot, and `setServerNow(ms)` when a frame carries `server_now`.

import {
  clockOffset,
  elapsedShare,
  formatRemaining,
  isMuted,
  justEnded,
  remainingMs,
  setMuted,
} from "./timer.js";

export const PHASES = [
  ["open", "Open"],
  ["write", "Silent writing"],
  ["reveal", "Reveal"],
  ["group", "Grouping"],
  ["vote", "Voting"],
  ["discuss", "Discussion"],
  ["wrap-up", "Wrap-up"],
];

// What each phase lets everyone do (the server's phase table, boards/phases.py, in words).
export const PHASE_HINTS = {
  open: "Add, edit, move and group notes freely.",
  write: "Silent writing: your new notes are private until the reveal.",
  reveal: "Everyone's notes are on the board. Read them; writing is paused.",
  group: "Drag a note onto another to group them, then name the group.",
  vote: "Give your dots: “Vote” on a note adds one, − takes it back.",
  discuss: "Talk it through; notes and groups can still change.",
  "wrap-up": "The board is read-only; thank you!",
};

// The phase one step back (-1) or forward (+1), or null at either end.
export function phaseStep(current, direction) {
  const index = PHASES.findIndex(([key]) => key === current);
  const next = PHASES[index + direction];
  return index >= 0 && next ? next[0] : null;
}

// How many dots the participant has left on this board.
export function votesLeft(state, participantId) {
  const f = state.facilitation;
  const used = (state.votes || []).filter((v) => v.voter === participantId).length;
  return Math.max(0, f.votes_per_person - used);
}

// How many notes are being written privately, over all sections.
export function privateNotesWritten(state) {
  return Object.values(state.facilitation.private_counts || {}).reduce((sum, n) => sum + n, 0);
}

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (value !== false && value !== null && value !== undefined) el.setAttribute(key, value);
  }
  for (const child of children) el.append(child);
  return el;
}

// A small speaker icon (drawn, so it looks the same without an emoji font).
function speaker(muted) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("width", "16");
  svg.setAttribute("height", "16");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "fac-speaker");
  const path = (d) => {
    const el = document.createElementNS(ns, "path");
    el.setAttribute("d", d);
    svg.append(el);
  };
  path("M2 6h3l4-3v10l-4-3H2z");
  path(muted ? "M11 6l4 4M15 6l-4 4" : "M11 5.5a3.5 3.5 0 0 1 0 5M12.5 3.5a6 6 0 0 1 0 9");
  return svg;
}

function chime() {
  try {
    const audio = new AudioContext();
    for (const [i, freq] of [880, 660, 880].entries()) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = freq;
      gain.gain.setValueAtTime(0.2, audio.currentTime + i * 0.25);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + i * 0.25 + 0.22);
      tone.connect(gain).connect(audio.destination);
      tone.start(audio.currentTime + i * 0.25);
      tone.stop(audio.currentTime + i * 0.25 + 0.25);
    }
  } catch {
    // No audio (autoplay rules, old browser): the timer still shows 0:00.
  }
}

export function mountFacilitation(root, { state, sendOp, participant, joinCode, joinUrl, serverNow } = {}) {
  let current = state;
  let offset = clockOffset(serverNow);
  let lastRemaining = null;
  const isFacilitator = () => participant.role === "facilitator";
  const send = (kind, data = {}) => sendOp(kind, data);

  // --- everyone: phase, timer, votes left, mute --------------------------------------
  const phaseLabel = h("span", { class: "fac-phase-label" });
  const phaseHint = h("span", { class: "fac-phase-hint" });
  const timerText = h("span", { class: "fac-timer-text", role: "timer", "aria-live": "off" });
  const timerBar = h("span", { class: "fac-timer-bar" });
  const muteButton = h("button", {
    type: "button",
    class: "fac-mute",
    onclick: () => {
      setMuted(!isMuted());
      render();
    },
  });
  const votesInfo = h("span", { class: "fac-votes-left" });
  const lockInfo = h("span", { class: "fac-locked" }, "Board locked");
  const writingInfo = h("span", { class: "fac-private-counts", "aria-live": "polite" });
  const status = h(
    "div",
    { class: "fac-status" },
    h("span", { class: "fac-phase", role: "status", "aria-live": "polite" }, phaseLabel, phaseHint),
    h("span", { class: "fac-timer" }, timerText, h("span", { class: "fac-timer-track" }, timerBar)),
    muteButton,
    votesInfo,
    lockInfo,
    writingInfo,
  );

  // --- facilitators: the controls ------------------------------------------------------
  const back = h("button", { type: "button", class: "fac-back", onclick: () => step(-1) }, "◀ Back");
  const forward = h("button", { type: "button", class: "fac-forward", onclick: () => step(1) }, "Next ▶");
  const pills = PHASES.map(([key, label]) =>
    h("button", { type: "button", class: "fac-pill", "data-phase": key, onclick: () => setPhase(key) }, label),
  );
  const stepper = h("div", { class: "fac-stepper", role: "group", "aria-label": "Phase" }, back, ...pills, forward);

  const minutes = h("input", { type: "number", min: "1", max: "240", value: "8", "aria-label": "Minutes" });
  const startButton = h("button", { type: "button", onclick: () => send("timer.start", { seconds: Math.round(Number(minutes.value) * 60) }) }, "Start");
  const pauseButton = h("button", {
    type: "button",
    onclick: () => send(current.facilitation.timer.state === "paused" ? "timer.resume" : "timer.pause"),
  });
  const extendButton = h("button", { type: "button", onclick: () => send("timer.extend", { seconds: 60 }) }, "+1 min");
  const stopButton = h("button", { type: "button", onclick: () => send("timer.stop") }, "Stop");
  const timerControls = h("div", { class: "fac-timer-controls", role: "group", "aria-label": "Timer" },
    minutes, h("span", {}, "min"), startButton, pauseButton, extendButton, stopButton);

  const toggles = {};
  // A switch keeps what was asked until the op comes back (or is refused), so it
  // does not flick back while the server applies it.
  const asked = {};
  // A hint says what a switch does that is not obvious from its name (read out with it).
  const toggle = (key, label, onchange, hint = null) => {
    const box = h("input", {
      type: "checkbox",
      ...(hint ? { "aria-describedby": `fac-hint-${key}` } : {}),
      onchange: () => {
        asked[key] = { value: box.checked, at: Date.now() };
        onchange(box.checked);
      },
    });
    toggles[key] = box;
    const hintText = hint ? [" ", h("small", { class: "fac-hint", id: `fac-hint-${key}` }, hint)] : [];
    return h("label", { class: "fac-toggle", ...(hint ? { title: hint } : {}) }, box, " ", label, ...hintText);
  };
  const settingsGroup = h("div", { class: "fac-settings", role: "group", "aria-label": "Settings" },
    // Anonymity given is never taken back (boards/visibility.py): the switch says so.
    toggle("anonymous", "Anonymous", (on) => send("workshop.settings", { anonymous: on }),
      "What is written, voted or scored while on stays anonymous for good, even after it is turned off."),
    toggle("moderation", "Moderation", (on) => send("workshop.settings", { moderation: on })),
    toggle("locked", "Lock board", (on) => send("board.lock", { locked: on })),
    toggle("joining_open", "Joining open", (on) => send("workshop.joining", { open: on })),
  );

  const number = (field, label) => {
    const input = h("input", {
      type: "number", min: "1", max: "50", "aria-label": label,
      onchange: () => send("workshop.settings", { [field]: Number(input.value) }),
    });
    toggles[field] = input;
    return h("label", { class: "fac-number" }, label, " ", input);
  };
  const closeVotes = h("button", { type: "button", onclick: () => send("votes.close") }, "Close vote");
  const resetVotes = h("button", { type: "button", onclick: () => send("votes.reset") }, "Reset votes");
  const votesGroup = h("div", { class: "fac-votes", role: "group", "aria-label": "Votes" },
    number("votes_per_person", "Votes each"),
    number("votes_per_note", "Max per note"),
    toggle("votes_hidden", "Hide results", (on) => send("workshop.settings", { votes_hidden: on })),
    closeVotes, resetVotes);

  const qrButton = h("button", { type: "button", class: "fac-qr-button", onclick: () => showQr() }, "Show QR");
  const controls = h("div", { class: "fac-controls", id: "fac-controls" }, stepper, timerControls, settingsGroup, votesGroup, qrButton);
  // On a phone the controls fold away behind one button; on wider screens they are always shown.
  const more = h("button", {
    type: "button",
    class: "fac-more",
    "aria-controls": "fac-controls",
    "aria-expanded": "false",
    onclick: () => {
      const open = !bar.classList.contains("is-open");
      bar.classList.toggle("is-open", open);
      more.setAttribute("aria-expanded", String(open));
      more.textContent = open ? "Hide controls" : "Facilitator controls";
    },
  }, "Facilitator controls");

  const bar = h("section", { class: "fac-bar", "aria-label": "Facilitation" }, status, more, controls);
  root.append(bar);

  // --- the QR overlay ------------------------------------------------------------------
  let overlay = null;
  function hideQr() {
    overlay?.remove();
    overlay = null;
    document.removeEventListener("keydown", onKey);
  }
  function onKey(event) {
    if (event.key === "Escape") hideQr();
  }
  function showQr() {
    hideQr();
    const close = h("button", { type: "button", class: "fac-qr-close", onclick: hideQr }, "Close");
    overlay = h("div", { class: "fac-qr-overlay", role: "dialog", "aria-modal": "true", "aria-label": "Join this workshop" },
      h("img", { class: "fac-qr-image", src: `/w/${current.workshop}/qr.svg`, alt: `QR code for ${joinUrl || "the join link"}` }),
      h("p", { class: "fac-qr-code" }, joinCode || ""),
      h("p", { class: "fac-qr-url" }, joinUrl || ""),
      close);
    overlay.addEventListener("click", (event) => {
      if (event.target === overlay) hideQr();
    });
    document.addEventListener("keydown", onKey);
    document.body.append(overlay);
    close.focus();
  }

  function setPhase(phase) {
    if (phase !== current.facilitation.phase) send("phase.set", { phase });
  }
  function step(direction) {
    const phase = phaseStep(current.facilitation.phase, direction);
    if (phase) setPhase(phase);
  }

  function tick() {
    const timer = current.facilitation.timer;
    const remaining = remainingMs(timer, offset);
    timerText.textContent = remaining === null ? "" : formatRemaining(remaining);
    timerBar.style.width = `${Math.round(elapsedShare(timer, remaining) * 100)}%`;
    bar.classList.toggle("fac-timer-ended", remaining === 0);
    if (justEnded(lastRemaining, remaining, timer) && !isMuted()) chime();
    lastRemaining = remaining;
  }

  function render() {
    const f = current.facilitation;
    const phase = PHASES.find(([key]) => key === f.phase);
    phaseLabel.textContent = phase ? phase[1] : f.phase;
    phaseHint.textContent =
      f.locked && !isFacilitator()
        ? "The facilitator has locked this board."
        : f.phase === "vote" && f.votes_closed
          ? "The vote is closed: the results are shown."
          : PHASE_HINTS[f.phase] || "";
    muteButton.replaceChildren(speaker(isMuted()), isMuted() ? "Sound off" : "Sound on");
    muteButton.setAttribute("aria-pressed", String(isMuted()));
    votesInfo.hidden = f.phase !== "vote";
    const left = votesLeft(current, participant.id);
    votesInfo.textContent = f.votes_closed ? "Vote closed" : `${left} ${left === 1 ? "vote" : "votes"} left`;
    lockInfo.hidden = !f.locked;
    const written = privateNotesWritten(current);
    writingInfo.hidden = f.phase !== "write";
    writingInfo.textContent = `${written} ${written === 1 ? "note" : "notes"} being written`;
    writingInfo.title = Object.entries(f.private_counts || {})
      .map(([section, count]) => `${section}: ${count}`)
      .join(", ");
    controls.hidden = !isFacilitator();
    more.hidden = !isFacilitator();
    for (const pill of pills) {
      const active = pill.dataset.phase === f.phase;
      pill.classList.toggle("active", active);
      pill.setAttribute("aria-pressed", String(active));
    }
    back.disabled = !phaseStep(f.phase, -1);
    forward.disabled = !phaseStep(f.phase, 1);
    const timerState = f.timer.state;
    pauseButton.textContent = timerState === "paused" ? "Resume" : "Pause";
    pauseButton.disabled = timerState === "stopped";
    extendButton.disabled = timerState === "stopped";
    stopButton.disabled = timerState === "stopped";
    for (const key of ["anonymous", "moderation", "locked", "joining_open", "votes_hidden"]) {
      const wish = asked[key];
      if (wish && wish.value !== f[key] && Date.now() - wish.at < 5_000) toggles[key].checked = wish.value;
      else {
        delete asked[key];
        toggles[key].checked = f[key];
      }
    }
    for (const key of ["votes_per_person", "votes_per_note"]) {
      if (document.activeElement !== toggles[key]) toggles[key].value = f[key];
    }
    closeVotes.disabled = f.votes_closed || !["vote", "discuss", "wrap-up"].includes(f.phase);
    resetVotes.disabled = f.phase !== "vote";
    tick();
  }

  const interval = setInterval(tick, 250);
  render();

  return {
    update(next, nextServerNow) {
      current = next;
      if (nextServerNow !== undefined) offset = clockOffset(nextServerNow);
      render();
    },
    setServerNow(ms) {
      offset = clockOffset(ms);
      tick();
    },
    setParticipant(next) {
      participant = next;
      render();
    },
    showQr,
    destroy() {
      clearInterval(interval);
      hideQr();
      bar.remove();
    },
  };
}
