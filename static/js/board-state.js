// The board's state as plain data, and the pure reducer that replays ops onto it.
//
// `applyOp` is the browser twin of boards/state.py `apply_op` (+ the reducers of
// boards/ops/*.py, whose twins are static/js/ops/*.js): same input, same output, proven by
// tests/boards/test_js_reducer_parity.py. `applyPending` lays the ops still in the
// outbox over the server's state, so the page shows them before they are acked.

import { REDUCERS } from "./ops/index.js";
import { findNote, insertNote } from "./ops/place.js";

export const COLORS = ["yellow", "pink", "blue", "green", "orange", "purple"];
export const MAX_NOTE_TEXT = 2000;
export const PENDING_PREFIX = "pending:";

const clone = (value) => structuredClone(value);

/** The state a snapshot describes (a copy: the snapshot is left as it was). */
export function fromSnapshot(board) {
  const state = clone(board);
  state.notes = state.notes || [];
  state.personas = state.personas || [];
  state.sections = state.sections || [];
  return state;
}

// The reducers of logged ops, one module per op family (static/js/ops/, like
// boards/ops/*.py); data = the resulting state of what changed.
export { REDUCERS };

/** Lets another op family (a new board kind's ops) register its reducer. */
export function registerReducer(kind, fn) {
  REDUCERS[kind] = fn;
}

/**
 * The state after one logged op: a new object, `state` is left as it was.
 * Throws when the op does not follow the state's seq, like the Python one.
 * An op kind this page has no reducer for only advances seq: a newer server
 * must not break an older page, and the next snapshot brings the full truth.
 */
export function applyOp(state, event) {
  if (event.seq !== state.seq + 1) {
    throw new Error(`op ${event.seq} does not follow state at seq ${state.seq}`);
  }
  const next = clone(state);
  const reduce = REDUCERS[event.op];
  if (reduce) reduce(next, event.data);
  next.seq = event.seq;
  return next;
}

// --- helpers for views ---------------------------------------------------------

/** The notes of one section, in order. */
export function notesOf(state, sectionKey) {
  return state.notes.filter((n) => n.section === sectionKey);
}

/** 0-based position of a note within its section, or -1. */
export function indexInSection(state, noteId) {
  const note = findNote(state, noteId);
  if (!note) return -1;
  return notesOf(state, note.section).indexOf(note);
}

export function findNoteById(state, id) {
  return findNote(state, id);
}

// --- pending ops (requests not yet in the server's state) ------------------------

/** The id a pending note.add shows under until the server gives it a real one. */
export function pendingId(clientOpId) {
  return PENDING_PREFIX + clientOpId;
}

export function isPendingId(id) {
  return typeof id === "string" && id.startsWith(PENDING_PREFIX);
}

/**
 * A note id as it stands now: a reference to a pending add ("pending:<cid>")
 * becomes the real id once that add was applied (`ids` maps cid -> note id).
 */
export function resolveId(id, ids) {
  if (isPendingId(id)) {
    const real = ids[id.slice(PENDING_PREFIX.length)];
    return real === undefined ? id : real;
  }
  return id;
}

/**
 * The server's state with the outbox's ops laid over it, each marked `pending`.
 * Requests carry what the user asked for (note.add has no id yet, a move's
 * index is not clamped), so this is forgiving where applyOp is strict: an op
 * whose note is gone (deleted by someone else meanwhile) is skipped.
 */
/** Where a requested note goes: a section, a journey cell, or the parking lot; null if gone. */
function placeOf(view, data) {
  if (data.section !== undefined && data.section !== null) {
    return view.sections.some((s) => s.key === data.section) ? { section: data.section } : null;
  }
  if (!view.stages) return null;
  if (data.stage == null && data.lane == null) return { section: null, stage: null, lane: null };
  const ok = view.stages.some((s) => s.key === data.stage) && view.lanes.some((l) => l.key === data.lane);
  return ok ? { section: null, stage: data.stage, lane: data.lane } : null;
}

export function applyPending(state, entries, ids = {}, me = null) {
  if (!entries.length) return state;
  const view = clone(state);
  for (const entry of entries) {
    const data = entry.data || {};
    const id = resolveId(data.id, ids);
    const note = id === undefined ? undefined : findNote(view, id);
    switch (entry.op) {
      case "note.add": {
        const where = placeOf(view, data);
        if (!where) break;
        insertNote(
          view,
          {
            id: pendingId(entry.client_op_id),
            ...where,
            text: data.text || "",
            color: data.color || "yellow",
            author: me,
            created_at: null,
            // Written in silent writing: only its author sees it until the reveal.
            private: view.facilitation?.phase === "write",
            hidden: false,
            cluster: null,
            pending: true,
          },
          null,
        );
        break;
      }
      case "note.update":
        if (note) {
          if (typeof data.text === "string") note.text = data.text;
          if (typeof data.color === "string") note.color = data.color;
          note.pending = true;
        }
        break;
      case "note.move": {
        const where = placeOf(view, data);
        if (!note || !where) break;
        view.notes.splice(view.notes.indexOf(note), 1);
        Object.assign(note, where);
        note.pending = true;
        insertNote(view, note, Math.max(0, data.index | 0));
        break;
      }
      case "emotion.set": {
        // One's own score shows at once; the server's op brings the room's.
        const curve = data.curve ?? "as-is";
        const point = (s) => s.stage === data.stage && s.persona === data.persona && (s.curve ?? "as-is") === curve;
        if (!view.emotion_scores) break;
        view.emotion_scores = view.emotion_scores.filter((s) => !(point(s) && s.participant === me?.id));
        if (data.score !== null && data.score !== undefined) {
          view.emotion_scores.push({ stage: data.stage, persona: data.persona, curve, participant: me?.id, score: data.score, pending: true });
        }
        break;
      }
      case "note.delete":
        if (note) view.notes.splice(view.notes.indexOf(note), 1);
        break;
      case "persona.update": {
        const persona = data.id === undefined ? view.personas[0] : view.personas.find((p) => p.id === data.id);
        if (!persona) break;
        if (typeof data.name === "string") persona.name = data.name;
        if (data.details) persona.details = { ...persona.details, ...data.details };
        persona.pending = true;
        break;
      }
      default:
        break;
    }
  }
  return view;
}
