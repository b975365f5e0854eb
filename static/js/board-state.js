// The board's state as plain data, and the pure reducer that replays ops onto it.
//
// `applyOp` is the browser twin of boards/state.py `apply_op` (+ the reducers in
// boards/ops/notes.py, facilitation.py, clusters.py and votes.py): same input, same output, proven by
// tests/boards/test_js_reducer_parity.py. `applyPending` lays the ops still in the
// outbox over the server's state, so the page shows them before they are acked.

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

// --- placing notes (board order: by section order, then position) ---------------

function sectionOrder(state) {
  const order = new Map();
  state.sections.forEach((section, i) => order.set(section.key, i));
  return order;
}

/**
 * Puts `note` into state.notes at `index` of its section (null: at the end), clamped.
 * Board order within a section: the public notes by place, then the private ones
 * by id (boards/ops/notes.py insert_note); a private note's index is ignored.
 */
function place(state, note, index) {
  const order = sectionOrder(state);
  const notes = state.notes;
  const rank = order.get(note.section);
  let start = notes.findIndex((n) => order.get(n.section) >= rank);
  if (start < 0) start = notes.length;
  let end = notes.findIndex((n) => order.get(n.section) > rank);
  if (end < 0) end = notes.length;
  let publicEnd = end;
  for (let i = start; i < end; i++) {
    if (notes[i].private) {
      publicEnd = i;
      break;
    }
  }
  let at;
  if (note.private) {
    at = end;
    for (let i = publicEnd; i < end; i++) {
      if (notes[i].id > note.id) {
        at = i;
        break;
      }
    }
  } else {
    at = index === null || index === undefined ? publicEnd : Math.min(start + index, publicEnd);
  }
  notes.splice(at, 0, note);
}

function findNote(state, id) {
  return state.notes.find((n) => n.id === id);
}

function without(object, key) {
  const { [key]: _dropped, ...rest } = object;
  return rest;
}

// --- the reducers of logged ops (data = the resulting state of what changed) ---

// Keys of an op's data that describe the board, not the note it carries.
// Keys of an op's data about who may see it; never part of a note (boards/visibility.py).
const META = ["private_author", "private_counts", "anonymous_target"];

function withoutMeta(data, ...more) {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !META.includes(key) && !more.includes(key)));
}

/** Private notes per section (every op touching a private note carries the new counts). */
function setPrivateCounts(state, data) {
  if ("private_counts" in data) state.facilitation.private_counts = data.private_counts;
}

function dropNote(state, id) {
  state.notes = state.notes.filter((n) => n.id !== id);
}

function setCluster(state, noteIds, clusterId) {
  for (const note of state.notes) if (noteIds.includes(note.id)) note.cluster = clusterId;
}

function setTimer(state, data) {
  state.facilitation.timer = data.timer;
}

// The twins of the @reducer functions in boards/ops/*.py (notes, facilitation,
// clusters, votes): keep them in step, tests/boards/test_js_reducer_parity.py checks.
export const REDUCERS = {
  "note.add"(state, data) {
    place(state, withoutMeta(data), null);
    setPrivateCounts(state, data);
  },
  "note.update"(state, data) {
    Object.assign(findNote(state, data.id), withoutMeta(data, "id"));
  },
  "note.move"(state, data) {
    const note = findNote(state, data.id);
    state.notes.splice(state.notes.indexOf(note), 1);
    for (const key of ["section", "stage", "lane"]) if (key in data) note[key] = data[key];
    place(state, note, data.index);
    setPrivateCounts(state, data);
  },
  "note.delete"(state, data) {
    dropNote(state, data.id);
    // A note's votes go with it.
    state.votes = (state.votes || []).filter((v) => v.note !== data.id);
    setPrivateCounts(state, data);
  },
  "persona.update"(state, data) {
    const persona = state.personas.find((p) => p.id === data.id);
    Object.assign(persona, without(data, "id"));
  },
  // An op this viewer may not see (docs/protocol.md §7, "Redaction"):
  // nothing changed but the seq, and perhaps the count of private notes.
  redacted(state, data) {
    if (state.facilitation) setPrivateCounts(state, data);
  },
  "phase.set"(state, data) {
    state.facilitation.phase = data.phase;
    for (const note of data.revealed) {
      dropNote(state, note.id);
      place(state, { ...note }, null);
    }
    setPrivateCounts(state, data);
  },
  "workshop.settings"(state, data) {
    Object.assign(state.facilitation, data);
  },
  "workshop.joining"(state, data) {
    state.facilitation.joining_open = data.joining_open;
  },
  "board.lock"(state, data) {
    state.facilitation.locked = data.locked;
  },
  "timer.start": setTimer,
  "timer.pause": setTimer,
  "timer.resume": setTimer,
  "timer.extend": setTimer,
  "timer.stop": setTimer,
  // People are not part of a board's state, but a note's author carries their current role.
  "participant.role"(state, data) {
    for (const note of state.notes) if (note.author && note.author.id === data.id) note.author.role = data.role;
  },
  "participant.remove"() {},
  "note.hide"(state, data) {
    dropNote(state, data.id);
    place(state, { ...data.note }, null);
    setPrivateCounts(state, data);
  },
  "note.merge"(state, data) {
    dropNote(state, data.removed);
    state.votes = (state.votes || []).filter((v) => v.note !== data.removed);
    setPrivateCounts(state, data);
    if ("id" in data) {
      const into = findNote(state, data.id);
      if (into) into.text = data.text;
    }
  },
  "cluster.create"(state, data) {
    state.clusters.push({ id: data.id, title: data.title });
    setCluster(state, data.note_ids, data.id);
  },
  "cluster.rename"(state, data) {
    state.clusters.find((c) => c.id === data.id).title = data.title;
  },
  "cluster.add_note"(state, data) {
    setCluster(state, [data.note_id], data.id);
  },
  "cluster.remove_note"(state, data) {
    setCluster(state, [data.note_id], null);
  },
  "cluster.delete"(state, data) {
    state.clusters = state.clusters.filter((c) => c.id !== data.id);
    for (const note of state.notes) if (note.cluster === data.id) note.cluster = null;
  },
  "vote.add"(state, data) {
    // A vote given under anonymity keeps its mark (boards/visibility.py, ANONYMOUS).
    state.votes.push({ note: data.note_id, voter: data.voter, ...(data.anonymous ? { anonymous: true } : {}) });
  },
  "vote.remove"(state, data) {
    const votes = state.votes;
    for (let i = votes.length - 1; i >= 0; i--) {
      if (votes[i].note === data.note_id && votes[i].voter === data.voter) {
        votes.splice(i, 1);
        break;
      }
    }
  },
  "votes.close"(state, data) {
    state.votes = data.votes.map((v) => ({ ...v }));
    state.facilitation.votes_closed = true;
  },
  "votes.reset"(state) {
    state.votes = [];
    state.facilitation.votes_closed = false;
  },
};

/** Lets another op family (journey stages, votes...) register its reducer. */
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
export function applyPending(state, entries, ids = {}, me = null) {
  if (!entries.length) return state;
  const view = clone(state);
  for (const entry of entries) {
    const data = entry.data || {};
    const id = resolveId(data.id, ids);
    const note = id === undefined ? undefined : findNote(view, id);
    switch (entry.op) {
      case "note.add": {
        if (!view.sections.some((s) => s.key === data.section)) break;
        place(
          view,
          {
            id: pendingId(entry.client_op_id),
            section: data.section,
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
        if (!note || !view.sections.some((s) => s.key === data.section)) break;
        view.notes.splice(view.notes.indexOf(note), 1);
        note.section = data.section;
        note.pending = true;
        place(view, note, Math.max(0, data.index | 0));
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
