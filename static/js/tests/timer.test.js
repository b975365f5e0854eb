import assert from "node:assert/strict";
import { test } from "node:test";

import {
  MUTE_KEY,
  clockOffset,
  elapsedShare,
  formatRemaining,
  isMuted,
  justEnded,
  remainingMs,
  setMuted,
} from "../timer.js";

const running = { state: "running", ends_at: 1_000_000 + 480_000, remaining_ms: null, duration_ms: 480_000 };

test("a phone four minutes slow shows the same time as the server", () => {
  const serverNow = 1_000_000;
  const phoneNow = serverNow - 4 * 60_000;
  const offset = clockOffset(serverNow, phoneNow);
  assert.equal(offset, 240_000);
  assert.equal(remainingMs(running, offset, phoneNow), 480_000);
  assert.equal(remainingMs(running, offset, phoneNow + 60_000), 420_000);
  assert.equal(remainingMs(running, 0, serverNow + 60_000), 420_000);
});

test("paused and stopped timers", () => {
  assert.equal(remainingMs({ state: "paused", ends_at: null, remaining_ms: 61_000 }, 123, 0), 61_000);
  assert.equal(remainingMs({ state: "stopped" }), null);
  assert.equal(remainingMs(null), null);
});

test("never below zero", () => {
  assert.equal(remainingMs(running, 0, running.ends_at + 5_000), 0);
});

test("formatting rounds seconds up", () => {
  assert.equal(formatRemaining(480_000), "8:00");
  assert.equal(formatRemaining(4_001), "0:05");
  assert.equal(formatRemaining(0), "0:00");
  assert.equal(formatRemaining(3_723_000), "1:02:03");
  assert.equal(formatRemaining(null), "");
});

test("elapsed share and the moment to chime", () => {
  assert.equal(elapsedShare(running, 240_000), 0.5);
  assert.equal(elapsedShare({ state: "stopped" }, null), 0);
  assert.equal(justEnded(1_000, 0, running), true);
  assert.equal(justEnded(0, 0, running), false);
  assert.equal(justEnded(null, 0, running), false);
  assert.equal(justEnded(1_000, 0, { state: "paused" }), false);
});

test("mute is remembered per device", () => {
  const store = new Map();
  const storage = {
    getItem: (k) => (store.has(k) ? store.get(k) : null),
    setItem: (k, v) => store.set(k, v),
    removeItem: (k) => store.delete(k),
  };
  assert.equal(isMuted(storage), false);
  setMuted(true, storage);
  assert.equal(store.get(MUTE_KEY), "1");
  assert.equal(isMuted(storage), true);
  setMuted(false, storage);
  assert.equal(isMuted(storage), false);
  assert.equal(isMuted(undefined), false);
});

test("no server clock yet: no offset", () => {
  assert.equal(clockOffset(undefined, 5), 0);
});
