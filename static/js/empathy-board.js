// Over 400 lines: the sectioned canvas is still one closure (notes, drag and drop,
// groups, votes, the persona card); its status and presence moved to board-shell.js
// and its DOM helper to dom.js, splitting the rest into components is issue #13.
// The empathy map's canvas (board-shell.js draws status, presence and the
// facilitation bar around it): sections around the persona card, sticky notes you
// add, edit, colour, drag and delete (with undo), who is here and who is typing,
// and what facilitation adds to it (docs/protocol.md §7): private notes
// in silent writing, groups (drop a note onto another), dot votes and their
// results, anonymous mode, a locked board. What the page offers follows the
// phase table (boards/phases.py); the server refuses anything else anyway.
//
// It only reads `sync.view()` (server state + pending ops) and only changes the
// board through `sync.submit()`; it never touches the state itself. Note text is
// always set with textContent: whatever people type stays text.

import { COLORS, MAX_NOTE_TEXT, notesOf, pendingId } from "./board-state.js";
import { h, hue, initials, plural } from "./dom.js";

const TYPING_SEND_EVERY_MS = 2_000;
const TYPING_SHOW_MS = 3_500;
const TOAST_MS = 8_000;
const COLOR_NAMES = { yellow: "Yellow", pink: "Pink", blue: "Blue", green: "Green", orange: "Orange", purple: "Purple" };
const PERSONA_FIELDS = [
  { key: "age", label: "Age", multiline: false, placeholder: "Add age" },
  { key: "role", label: "Role", multiline: true, placeholder: "What they do, where they are" },
  { key: "quote", label: "Quote", multiline: true, placeholder: "“Something they would say”" },
  { key: "about", label: "About", multiline: true, placeholder: "Context, goals, constraints" },
];

/** Grows a textarea to its content (no scrollbar inside a card). */
function fit(area) {
  area.style.height = "auto";
  if (area.scrollHeight) area.style.height = `${area.scrollHeight + 2}px`;
}

function touchOnly() {
  return globalThis.matchMedia?.("(hover: none)").matches ?? false;
}

// Which phases allow what (the server's table, boards/phases.py).
const PHASES_ALLOWING = {
  add: ["open", "write", "discuss"],
  edit: ["open", "write", "group", "discuss"],
  group: ["open", "group", "discuss"],
  vote: ["vote"],
};

/** How many dots each note has: {note id: count}. */
export function voteTotals(votes) {
  const totals = new Map();
  for (const vote of votes || []) totals.set(vote.note, (totals.get(vote.note) || 0) + 1);
  return totals;
}

/** The notes that got votes, most first (board order breaks ties), with their counts. */
export function ranked(state) {
  const totals = voteTotals(state.votes);
  return state.notes
    .filter((n) => totals.get(n.id))
    .map((note, i) => ({ note, count: totals.get(note.id), i }))
    .sort((a, b) => b.count - a.count || a.i - b.i);
}

export function mountEmpathyBoard(root, sync, { me, readOnly = false, storage = globalThis.localStorage } = {}) {
  const ui = {
    board: null,
    sections: new Map(), // key -> {el, list, typing, count}
    notes: new Map(), // element key -> note element
    persona: null,
    toasts: h("div", { class: "toasts", "aria-live": "polite", "aria-atomic": "false" }),
    panels: h("div", { class: "board-panels" }),
  };
  let view = null;
  let editing = null; // {key, el, original, draft?: {section}}
  let dragging = null; // {key, id}
  let scheduled = false;
  let reordering = false; // a blur while notes are being put in order is not the user leaving
  let currentColor = COLORS.includes(storage?.getItem?.("resonance:color")) ? storage.getItem("resonance:color") : "yellow";
  const typists = new Map(); // section -> Map(participant id -> {name, until})
  let lastTyping = { at: 0, section: null };

  // --- what this person may do now ----------------------------------------------

  const facilitation = () => view?.facilitation || null;
  const isFacilitator = () => sync.me?.role === "facilitator";
  const myId = () => sync.me?.id ?? me?.id;

  /** Whether the page offers an action now: role, lock, phase and the vote round. */
  function can(action) {
    if (readOnly || sync.fatal || sync.me?.role === "observer") return false;
    const f = facilitation();
    if (!f) return action !== "vote";
    if (f.locked && !isFacilitator()) return false;
    if (action === "vote" && f.votes_closed) return false;
    return PHASES_ALLOWING[action].includes(f.phase);
  }

  function myVotes(noteId) {
    const id = myId();
    return (view.votes || []).filter((v) => v.note === noteId && v.voter === id).length;
  }

  function votesLeft() {
    const f = facilitation();
    const id = myId();
    return Math.max(0, f.votes_per_person - (view.votes || []).filter((v) => v.voter === id).length);
  }

  /** Others' dots are shown once the round is closed, or all along when results are not hidden. */
  function showsTotals() {
    const f = facilitation();
    return !!f && (f.votes_closed || (!f.votes_hidden && ["vote", "discuss", "wrap-up"].includes(f.phase)));
  }

  function clusterOf(note) {
    return note.cluster == null ? null : (view.clusters || []).find((c) => c.id === note.cluster) || null;
  }

  function clusterName(cluster) {
    return cluster.title || "Unnamed group";
  }

  // --- skeleton --------------------------------------------------------------

  function build() {
    const kind = view.kind || "empathy-map";
    ui.board = h("div", {
      class: `board board--${kind} board--${view.sections.length}-sections`,
      role: "region",
      "aria-label": view.title || "Board",
    });
    ui.persona = buildPersona();
    ui.board.append(ui.persona.el);
    for (const section of view.sections) {
      const el = buildSection(section);
      ui.board.append(el);
    }
    root.querySelector(".board-loading")?.remove();
    root.append(...[ui.panels, ui.board, readOnly ? null : shortcuts(), ui.toasts].filter(Boolean));
  }

  function shortcuts() {
    const rows = [
      ["N or Enter", "on a section: write a new note"],
      ["Enter / Shift+Enter", "while writing: save / new line; Esc cancels"],
      ["Enter or E", "on a note: edit it"],
      ["C", "on a note: change its colour"],
      ["Delete", "on a note: delete it (Undo brings it back)"],
      ["Arrow keys", "go to the previous or next note"],
      ["Alt+↑ / Alt+↓", "move the note earlier or later"],
      ["Alt+← / Alt+→", "move the note to the previous or next section"],
      ["C", "on a note in grouping: group it with others (in the same menu)"],
      ["V / Shift+V", "on a note while voting: add / take back a dot"],
    ];
    const list = h("dl", { class: "shortcut-list" });
    for (const [keys, what] of rows) list.append(h("dt", {}, h("kbd", { text: keys })), h("dd", { text: what }));
    return h("details", { class: "shortcuts" }, h("summary", { text: "Keyboard shortcuts" }), list);
  }

  function buildSection(section) {
    const titleId = `section-${section.key}-title`;
    const list = h("ol", { class: "notes", "aria-labelledby": titleId });
    const typing = h("p", { class: "typing", "aria-live": "off" });
    const writing = h("p", { class: "private-count", "aria-live": "polite", hidden: true });
    const count = h("span", { class: "section-count", "aria-hidden": "true" });
    const addButton = readOnly
      ? null
      : h("button", {
          type: "button",
          class: "add-note",
          "aria-label": `Add a note to ${section.title}`,
          title: "Add a note (N)",
          onclick: () => startDraft(section.key),
          text: "+ Add note",
        });
    const el = h(
      "section",
      {
        class: `section section--${section.key}`,
        "data-section": section.key,
        tabindex: "0",
        "aria-keyshortcuts": readOnly ? null : "N Enter",
        "aria-labelledby": titleId,
        "aria-describedby": `section-${section.key}-prompt`,
      },
      h(
        "header",
        { class: "section-head" },
        h("div", { class: "section-titles" }, h("h2", { id: titleId, text: section.title }), count),
        addButton,
      ),
      h("p", { class: "prompt", id: `section-${section.key}-prompt`, text: section.prompt || "" }),
      writing,
      list,
      h("p", {
        class: "empty-hint",
        text: readOnly ? "No notes yet." : touchOnly() ? "Tap “+ Add note” to write the first one." : "Double-click here or press N to add a note.",
      }),
      typing,
    );
    if (!readOnly) {
      el.addEventListener("dblclick", (event) => {
        if (event.target.closest(".note, button, textarea, input") || !can("add")) return;
        startDraft(section.key);
      });
      el.addEventListener("keydown", (event) => {
        if (event.target !== el || event.altKey || event.ctrlKey || event.metaKey) return;
        if ((event.key === "n" || event.key === "N" || event.key === "Enter") && can("add")) {
          event.preventDefault();
          startDraft(section.key);
        }
      });
      el.addEventListener("dragover", (event) => onDragOver(event, section.key));
      el.addEventListener("dragleave", (event) => {
        if (!el.contains(event.relatedTarget)) clearDropMarks();
      });
      el.addEventListener("drop", (event) => onDrop(event, section.key));
    }
    ui.sections.set(section.key, { el, list, typing, count, writing, addButton, hint: el.querySelector(".empty-hint") });
    return el;
  }

  function buildPersona() {
    const el = h("aside", { class: "persona", "aria-label": "Persona" });
    const avatar = h("div", { class: "persona-avatar", "aria-hidden": "true" });
    const name = h("input", {
      class: "persona-name",
      "aria-label": "Persona name",
      placeholder: "Name the persona",
      maxlength: "120",
      readonly: readOnly,
      autocomplete: "off",
    });
    const fields = {};
    const list = h("dl", { class: "persona-details" });
    for (const field of PERSONA_FIELDS) {
      const id = `persona-${field.key}`;
      const input = field.multiline
        ? h("textarea", { id, rows: "1", maxlength: "500", readonly: readOnly, placeholder: field.placeholder })
        : h("input", { id, maxlength: "500", readonly: readOnly, placeholder: field.placeholder, autocomplete: "off" });
      fields[field.key] = input;
      list.append(h("div", { class: `persona-field persona-field--${field.key}` }, h("dt", {}, h("label", { for: id, text: field.label })), h("dd", {}, input)));
    }
    el.append(h("p", { class: "persona-kicker", text: "Persona" }), avatar, name, list);
    for (const input of Object.values(fields)) {
      if (input.tagName === "TEXTAREA") input.addEventListener("input", () => fit(input));
    }
    if (!readOnly) {
      const save = (input, patch) => () => {
        const persona = view?.personas?.[0];
        if (!persona) return;
        const value = input.value;
        const current = patch === "name" ? persona.name : persona.details?.[patch] ?? "";
        if (value === current) return;
        sync.submit("persona.update", patch === "name" ? { id: persona.id, name: value } : { id: persona.id, details: { [patch]: value } });
      };
      name.addEventListener("change", save(name, "name"));
      for (const [key, input] of Object.entries(fields)) input.addEventListener("change", save(input, key));
      for (const input of [name, ...Object.values(fields)]) {
        input.addEventListener("keydown", (event) => {
          if (event.key === "Enter" && (input.tagName === "INPUT" || event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            input.blur();
          } else if (event.key === "Escape") {
            input.value = input.dataset.value ?? "";
            input.blur();
          }
        });
      }
    }
    return { el, avatar, name, fields };
  }

  // --- rendering ----------------------------------------------------------------

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      render();
    });
  }

  function keyOf(note) {
    const cid = sync.clientOpIdOf(note.id);
    return cid ? `c:${cid}` : `n:${note.id}`;
  }

  function render() {
    view = sync.view();
    if (!view) return;
    if (!ui.board) {
      build();
      requestAnimationFrame(() => ui.persona.el.querySelectorAll("textarea").forEach(fit));
    }
    const active = document.activeElement;
    const focusKey = active?.classList?.contains("note") ? active.dataset.key : null;
    const bySection = new Map(view.sections.map((s) => [s.key, notesOf(view, s.key)]));
    const wanted = new Set(view.notes.map(keyOf));
    // Gone notes leave first, so that the rest mostly stays where it is.
    for (const [key, el] of ui.notes) {
      if (!wanted.has(key)) {
        if (editing && editing.key === key) editing = null;
        el.remove();
        ui.notes.delete(key);
      }
    }
    reordering = true;
    for (const [sectionKey, notes] of bySection) {
      const part = ui.sections.get(sectionKey);
      if (!part) continue;
      const els = notes.map((note) => {
        const key = keyOf(note);
        let el = ui.notes.get(key);
        if (!el) {
          el = buildNote(key);
          ui.notes.set(key, el);
        }
        updateNote(el, note);
        return el;
      });
      // A draft being written stays last in its section.
      const draft = editing?.draft?.section === sectionKey ? editing.el : null;
      if (draft && draft.parentElement !== part.list) part.list.append(draft);
      // From the end: each note goes before the one after it, moving only notes
      // out of place (moving the note being edited would take its focus away).
      for (let i = els.length - 1; i >= 0; i--) {
        const next = els[i + 1] || draft;
        if (els[i].parentElement !== part.list || els[i].nextElementSibling !== next) part.list.insertBefore(els[i], next);
      }
      part.count.textContent = notes.length ? String(notes.length) : "";
      part.el.classList.toggle("is-empty", notes.length === 0 && !draft);
      renderSectionState(sectionKey, part);
    }
    reordering = false;
    if (editing && document.activeElement !== editing.area && editing.el.isConnected) editing.area.focus();
    if (focusKey && document.activeElement !== ui.notes.get(focusKey)) ui.notes.get(focusKey)?.focus();
    renderPersona();
    renderTyping();
    renderPanels();
    const f = facilitation();
    root.dataset.phase = f?.phase || "open";
    root.classList.toggle("is-locked", !!f?.locked);
    root.classList.toggle("is-anonymous", !!f?.anonymous);
    root.classList.toggle("can-write", can("add") || can("edit"));
  }

  /** The add button, the empty hint and "N notes being written" follow the phase. */
  function renderSectionState(sectionKey, part) {
    const adding = can("add");
    if (part.addButton) part.addButton.hidden = !adding;
    part.el.setAttribute("aria-keyshortcuts", adding ? "N Enter" : "");
    const f = facilitation();
    const writing = f?.private_counts?.[sectionKey] || 0;
    part.writing.hidden = !writing;
    part.writing.textContent = writing ? `${plural(writing, "note")} being written` : "";
    if (part.hint) {
      part.hint.textContent = adding
        ? touchOnly()
          ? "Tap “+ Add note” to write the first one."
          : "Double-click here or press N to add a note."
        : writing
          ? "Notes appear here at the reveal."
          : "No notes yet.";
    }
  }

  // --- groups and vote results, above the board ------------------------------------

  function renderPanels() {
    const f = facilitation();
    const clusters = view.clusters || [];
    const parts = [];
    if (clusters.length) parts.push(clusterPanel(clusters));
    if (f && showsTotals() && (view.votes || []).length) parts.push(resultsPanel());
    // Rebuilding would take the focus out of a group's name being typed: skip while it has it.
    if (ui.panels.contains(document.activeElement) && document.activeElement.tagName === "INPUT") {
      updateClusterInputs(clusters);
      return;
    }
    const focused = document.activeElement?.dataset?.focusKey;
    ui.panels.replaceChildren(...parts);
    if (focused) ui.panels.querySelector(`[data-focus-key="${focused}"]`)?.focus();
  }

  function updateClusterInputs(clusters) {
    for (const input of ui.panels.querySelectorAll("input[data-cluster]")) {
      const cluster = clusters.find((c) => String(c.id) === input.dataset.cluster);
      if (cluster && document.activeElement !== input) input.value = cluster.title;
    }
  }

  function clusterPanel(clusters) {
    const editable = can("group");
    const list = h("ul", { class: "cluster-list" });
    for (const cluster of clusters) {
      const members = view.notes.filter((n) => n.cluster === cluster.id);
      const votes = showsTotals() ? members.reduce((sum, n) => sum + (voteTotals(view.votes).get(n.id) || 0), 0) : null;
      const name = editable
        ? h("input", {
            class: "cluster-name",
            value: cluster.title,
            placeholder: "Name this group",
            maxlength: "200",
            "data-cluster": String(cluster.id),
            "data-focus-key": `cluster-name-${cluster.id}`,
            "aria-label": `Name of the group of ${plural(members.length, "note")}`,
            onchange: (event) => {
              const title = event.target.value.trim();
              if (title !== cluster.title) sync.submit("cluster.rename", { id: cluster.id, title });
            },
            onkeydown: (event) => {
              if (event.key === "Enter") event.target.blur();
              else if (event.key === "Escape") {
                event.target.value = cluster.title;
                event.target.blur();
              }
            },
          })
        : h("span", { class: "cluster-name", text: clusterName(cluster) });
      list.append(
        h(
          "li",
          { class: "cluster", style: { "--cluster-hue": String(hue(cluster.id + 3)) }, "data-cluster": String(cluster.id) },
          h("span", { class: "cluster-dot", "aria-hidden": "true" }),
          name,
          h("span", { class: "cluster-size", text: plural(members.length, "note") + (votes === null ? "" : ` · ${plural(votes, "vote")}`) }),
          editable
            ? h("button", {
                type: "button",
                class: "cluster-ungroup button-quiet",
                "data-focus-key": `cluster-ungroup-${cluster.id}`,
                "aria-label": `Ungroup ${clusterName(cluster)}`,
                text: "Ungroup",
                onclick: () => sync.submit("cluster.delete", { id: cluster.id }),
              })
            : null,
        ),
      );
    }
    return h("section", { class: "panel panel--clusters", "aria-label": "Groups" }, h("h2", { class: "panel-title", text: "Groups" }), list);
  }

  function resultsPanel() {
    const f = facilitation();
    const list = h("ol", { class: "results-list" });
    for (const { note, count } of ranked(view).slice(0, 10)) {
      const cluster = clusterOf(note);
      list.append(
        h(
          "li",
          { class: "result", "data-note": String(note.id) },
          h("span", { class: "result-count", text: plural(count, "vote") }),
          h("span", { class: "result-text", text: note.text }),
          cluster ? h("span", { class: "result-cluster", text: clusterName(cluster) }) : null,
        ),
      );
    }
    const title = f.votes_closed ? "Vote results" : "Votes so far";
    return h("section", { class: "panel panel--results", "aria-label": title }, h("h2", { class: "panel-title", text: title }), list);
  }

  function renderPersona() {
    const persona = view.personas?.[0];
    if (!persona) {
      ui.persona.el.hidden = true;
      return;
    }
    ui.persona.el.hidden = false;
    ui.persona.el.style.setProperty("--persona-color", persona.color || "#6d5dfc");
    ui.persona.avatar.textContent = persona.name ? initials(persona.name) : "?";
    const set = (input, value) => {
      input.dataset.value = value ?? "";
      if (document.activeElement !== input && input.value !== (value ?? "")) input.value = value ?? "";
      if (input.tagName === "TEXTAREA") fit(input);
    };
    set(ui.persona.name, persona.name);
    for (const [key, input] of Object.entries(ui.persona.fields)) set(input, persona.details?.[key]);
    ui.persona.el.classList.toggle("is-pending", !!persona.pending);
  }

  function renderTyping() {
    const now = Date.now();
    for (const [key, part] of ui.sections) {
      const names = [...(typists.get(key)?.values() || [])].filter((t) => t.until > now).map((t) => t.name);
      // Anonymous mode: the hint does not say who (the server sends no name either).
      const anyone = names.filter((n) => n === null).length;
      const named = names.filter((n) => n !== null);
      if (anyone) named.push(anyone > 1 ? "Some people" : "Someone");
      part.typing.textContent = named.length ? `${named.join(", ")} ${named.length === 1 && anyone <= 1 ? "is" : "are"} typing…` : "";
    }
  }

  // --- notes ----------------------------------------------------------------------

  function buildNote(key) {
    const text = h("p", { class: "note-text" });
    const author = h("span", { class: "note-author" });
    const colorButton = h("button", { type: "button", class: "note-color", "aria-label": "Colour and section", title: "Colour and section (C)", "aria-haspopup": "true", "aria-expanded": "false" });
    const deleteButton = h("button", { type: "button", class: "note-delete", "aria-label": "Delete note", title: "Delete (Del)", text: "×" });
    const badge = h("span", { class: "note-private" });
    const cluster = h("span", { class: "note-cluster" });
    const votes = h("span", { class: "note-votes" });
    const el = h(
      "li",
      {
        class: "note",
        tabindex: "0",
        "data-key": key,
        draggable: readOnly ? null : "true",
        "aria-keyshortcuts": readOnly ? null : "Enter E C Delete Alt+ArrowUp Alt+ArrowDown Alt+ArrowLeft Alt+ArrowRight",
      },
      badge,
      text,
      cluster,
      h("footer", { class: "note-foot" }, author, votes, readOnly ? null : h("span", { class: "note-actions" }, colorButton, deleteButton)),
    );
    el._parts = { text, author, colorButton, deleteButton, badge, cluster, votes };
    if (readOnly) return el;
    text.addEventListener("click", () => {
      if (can("edit")) startEdit(el);
    });
    colorButton.addEventListener("click", (event) => {
      event.stopPropagation();
      togglePalette(el);
    });
    deleteButton.addEventListener("click", () => deleteNote(el));
    el.addEventListener("keydown", (event) => onNoteKey(event, el));
    el.addEventListener("dragstart", (event) => {
      if (editing?.el === el || !(can("edit") || can("group"))) {
        event.preventDefault();
        return;
      }
      dragging = { key, id: el._note.id };
      el.classList.add("is-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", el._note.text || "note");
    });
    el.addEventListener("dragend", () => {
      el.classList.remove("is-dragging");
      dragging = null;
      clearDropMarks();
    });
    return el;
  }

  function updateNote(el, note) {
    el._note = note;
    el.dataset.id = String(note.id);
    el.dataset.color = note.color;
    el.className = `note note--${COLORS.includes(note.color) ? note.color : "yellow"}${note.pending ? " is-pending" : ""}${dragging?.key === el.dataset.key ? " is-dragging" : ""}${editing?.el === el ? " is-editing" : ""}`;
    const { text, author, colorButton } = el._parts;
    if (editing?.el !== el) text.textContent = note.text;
    text.classList.toggle("is-blank", !note.text);
    // Anonymous mode: the server sends no author but oneself; say "You" rather than one's name.
    const mine = note.author?.id === myId();
    const authorName = facilitation()?.anonymous ? (mine ? "You" : "") : note.author?.name || "";
    author.textContent = authorName;
    const where = view.sections.find((s) => s.key === note.section)?.title || note.section;
    const { badge, cluster: chip, votes, deleteButton } = el._parts;
    el.classList.toggle("is-private", !!note.private);
    el.classList.toggle("is-hidden-note", !!note.hidden);
    badge.hidden = !note.private;
    badge.textContent = note.hidden ? "Held back by the facilitator" : mine ? "Only you see this" : "Private · facilitators see it";
    const cluster = clusterOf(note);
    el.classList.toggle("in-cluster", !!cluster);
    chip.hidden = !cluster;
    if (cluster) {
      el.style.setProperty("--cluster-hue", String(hue(cluster.id + 3)));
      chip.replaceChildren(h("span", { class: "cluster-dot", "aria-hidden": "true" }), h("span", { text: clusterName(cluster) }));
      if (can("group") && typeof note.id === "number") {
        chip.append(
          h("button", {
            type: "button",
            class: "note-ungroup",
            "aria-label": `Take this note out of ${clusterName(cluster)}`,
            title: "Take out of the group",
            text: "×",
            onclick: (event) => {
              event.stopPropagation();
              sync.submit("cluster.remove_note", { note_id: note.id });
            },
          }),
        );
      }
    } else el.style.removeProperty("--cluster-hue");
    renderVotes(votes, note);
    const editable = can("edit");
    if (!readOnly) el.draggable = editing?.el !== el && (editable || can("group"));
    if (deleteButton) deleteButton.hidden = !editable;
    if (colorButton) colorButton.hidden = !(editable || can("group") || (note.private && isFacilitator() && facilitation()?.moderation));
    const total = showsTotals() ? voteTotals(view.votes).get(note.id) || 0 : null;
    el.setAttribute(
      "aria-label",
      `${note.text || "Empty note"} — ${where}${authorName && !mine ? `, by ${authorName}` : ""}${note.private ? ", private" : ""}${cluster ? `, in group ${clusterName(cluster)}` : ""}${total !== null ? `, ${plural(total, "vote")}` : ""}${note.pending ? " (not saved yet)" : ""}`,
    );
    if (colorButton) colorButton.style.setProperty("--swatch", `var(--note-${note.color}, ${note.color})`);
  }

  /** The dots on a note: one's own (add / take back while voting) and, when shown, the total. */
  function renderVotes(container, note) {
    const f = facilitation();
    const voting = f?.phase === "vote" && typeof note.id === "number" && !note.private;
    const total = showsTotals() ? voteTotals(view.votes).get(note.id) || 0 : 0;
    container.hidden = !(voting || total);
    if (container.hidden) {
      container.replaceChildren();
      return;
    }
    const mine = myVotes(note.id);
    const parts = [];
    if (voting && can("vote")) {
      const left = votesLeft();
      const full = mine >= f.votes_per_note || left === 0;
      parts.push(
        h(
          "button",
          {
            type: "button",
            class: `vote-add${mine ? " has-mine" : ""}`,
            "aria-label": full
              ? `You gave this note ${plural(mine, "vote")}${left === 0 ? "; no votes left" : ""}`
              : `Vote for this note (${left} left)`,
            "aria-disabled": full ? "true" : null,
            title: full ? (left === 0 ? "No votes left" : `At most ${f.votes_per_note} per note`) : "Add a vote (V)",
            onclick: (event) => {
              event.stopPropagation();
              vote(note, 1);
            },
          },
          h("span", { class: "dots", "aria-hidden": "true", text: "●".repeat(mine) }),
          mine ? null : h("span", { class: "vote-label", "aria-hidden": "true", text: "Vote" }),
        ),
      );
      if (mine) {
        parts.push(
          h("button", {
            type: "button",
            class: "vote-remove",
            "aria-label": "Take back a vote",
            title: "Take back a vote (Shift+V)",
            text: "−",
            onclick: (event) => {
              event.stopPropagation();
              vote(note, -1);
            },
          }),
        );
      }
    } else if (mine) {
      parts.push(h("span", { class: "dots mine", title: "Your votes", text: "●".repeat(mine) }));
    }
    if (total) parts.push(h("span", { class: "vote-total", text: plural(total, "vote") }));
    // Keep the keyboard where it was: the buttons are new, the place is the same.
    const focused = container.contains(document.activeElement) ? document.activeElement.className.split(" ")[0] : null;
    container.replaceChildren(...parts);
    if (focused) (container.querySelector(`.${focused}`) || container.closest(".note"))?.focus();
  }

  function vote(note, direction) {
    if (!can("vote") || typeof note.id !== "number") return;
    const f = facilitation();
    if (direction > 0) {
      if (votesLeft() === 0) toast(`You have used all your ${f.votes_per_person} votes. Take one back to move it.`);
      else if (myVotes(note.id) >= f.votes_per_note) toast(`You can give a note at most ${plural(f.votes_per_note, "vote")}.`);
      else sync.submit("vote.add", { note_id: note.id });
    } else if (myVotes(note.id)) {
      sync.submit("vote.remove", { note_id: note.id });
    }
  }

  function group(dragged, target) {
    if (typeof dragged.id !== "number" || typeof target.id !== "number" || dragged.id === target.id) return;
    if (target.cluster != null && dragged.cluster === target.cluster) return;
    if (target.cluster != null) sync.submit("cluster.add_note", { id: target.cluster, note_id: dragged.id });
    else sync.submit("cluster.create", { note_ids: [dragged.id, target.id] });
  }

  function onNoteKey(event, el) {
    if (event.target !== el) return;
    const note = el._note;
    if ((event.key === "v" || event.key === "V") && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      vote(note, event.shiftKey ? -1 : 1);
      return;
    }
    const editable = can("edit");
    if (!editable && ["Enter", "F2", "e", "Delete", "Backspace"].includes(event.key)) return;
    if (!editable && event.altKey) return;
    if (event.key === "c" && !(editable || can("group") || (isFacilitator() && facilitation()?.moderation))) return;
    const siblings = [...el.parentElement.querySelectorAll(".note[data-key]")];
    const i = siblings.indexOf(el);
    const keys = view.sections.map((s) => s.key);
    if (event.altKey && ["ArrowUp", "ArrowLeft", "ArrowDown", "ArrowRight"].includes(event.key)) {
      event.preventDefault();
      const count = notesOf(view, note.section).length;
      if (event.key === "ArrowUp" && i > 0) move(note, note.section, i - 1);
      else if (event.key === "ArrowDown" && i < count - 1) move(note, note.section, i + 1);
      else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        const next = keys[keys.indexOf(note.section) + (event.key === "ArrowLeft" ? -1 : 1)];
        if (next) move(note, next, notesOf(view, next).length);
      }
      return;
    }
    switch (event.key) {
      case "Enter":
      case "F2":
      case "e":
        event.preventDefault();
        startEdit(el);
        break;
      case "Delete":
      case "Backspace":
        event.preventDefault();
        deleteNote(el);
        break;
      case "c":
        event.preventDefault();
        togglePalette(el);
        break;
      case "ArrowUp":
      case "ArrowLeft":
        event.preventDefault();
        siblings[i - 1]?.focus();
        break;
      case "ArrowDown":
      case "ArrowRight":
        event.preventDefault();
        siblings[i + 1]?.focus();
        break;
      case "Escape":
        el.closest(".section")?.focus();
        break;
      default:
        break;
    }
  }

  function move(note, section, index) {
    const current = notesOf(view, note.section).indexOf(view.notes.find((n) => n.id === note.id));
    if (section === note.section && index === current) return;
    sync.submit("note.move", { id: note.id, section, index });
  }

  // --- writing: drafts and in-place edits -------------------------------------

  function editor(initial, sectionKey) {
    const area = h("textarea", { class: "note-editor", maxlength: String(MAX_NOTE_TEXT), "aria-label": "Note text", rows: "3" });
    area.value = initial;
    const grow = () => {
      area.style.height = "auto";
      area.style.height = `${area.scrollHeight}px`;
    };
    area.addEventListener("input", () => {
      grow();
      const now = Date.now();
      if (now - lastTyping.at > TYPING_SEND_EVERY_MS || lastTyping.section !== sectionKey) {
        lastTyping = { at: now, section: sectionKey };
        sync.typing(sectionKey);
      }
    });
    requestAnimationFrame(grow);
    return area;
  }

  function startDraft(sectionKey) {
    if (editing) finishEdit(true);
    const part = ui.sections.get(sectionKey);
    const area = editor("", sectionKey);
    const el = h("li", { class: `note note--${currentColor} is-editing is-draft`, "data-draft": "true" }, area, h("p", { class: "note-hint", text: "Enter to add · Shift+Enter new line · Esc to cancel" }));
    part.list.append(el);
    part.el.classList.remove("is-empty");
    editing = { key: null, el, area, original: "", draft: { section: sectionKey } };
    wireEditor(area);
    area.focus();
    el.scrollIntoView({ block: "nearest" });
  }

  function startEdit(el) {
    if (readOnly || editing?.el === el) return;
    if (editing) finishEdit(true);
    const note = el._note;
    const area = editor(note.text, note.section);
    el._parts.text.replaceWith(area);
    el.classList.add("is-editing");
    el.draggable = false;
    editing = { key: el.dataset.key, el, area, original: note.text };
    wireEditor(area);
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  }

  function wireEditor(area) {
    area.addEventListener("keydown", (event) => {
      event.stopPropagation();
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        finishEdit(true, true);
      } else if (event.key === "Escape") {
        event.preventDefault();
        finishEdit(false, true);
      }
    });
    area.addEventListener("blur", () => {
      if (editing?.area === area && !reordering) finishEdit(true);
    });
  }

  function finishEdit(save, refocus = false) {
    const current = editing;
    if (!current) return;
    editing = null;
    const text = current.area.value.replace(/\s+$/, "");
    if (current.draft) {
      current.el.remove();
      if (save && text.trim()) {
        const cid = sync.submit("note.add", { section: current.draft.section, text, color: currentColor });
        if (refocus) requestAnimationFrame(() => ui.notes.get(`c:${cid}`)?.focus());
      } else if (refocus) {
        ui.sections.get(current.draft.section)?.el.focus();
      }
      schedule();
      return;
    }
    const el = current.el;
    const note = el._note;
    el._parts.text.textContent = note.text;
    current.area.replaceWith(el._parts.text);
    el.classList.remove("is-editing");
    el.draggable = true;
    if (save && text.trim() && text !== note.text) updateText(note, text);
    if (refocus) el.focus();
    schedule();
  }

  function updateText(note, text) {
    const cid = sync.clientOpIdOf(note.id);
    // A note added offline whose add has not left yet: change the add itself.
    if (typeof note.id === "string" && cid && sync.amend(cid, { text })) return;
    sync.submit("note.update", { id: note.id, text });
  }

  // --- colour -----------------------------------------------------------------------

  function togglePalette(el) {
    const open = el.querySelector(".palette");
    closePalettes();
    if (open) return;
    const note = el._note;
    const palette = h("div", { class: "palette" });
    const swatches = h("div", { class: "swatches", role: "group", "aria-label": "Colour" });
    const escape = (event) => {
      if (event.key === "Escape") {
        closePalettes();
        el.focus();
      }
      event.stopPropagation();
    };
    for (const color of COLORS) {
      swatches.append(
        h("button", {
          type: "button",
          class: `swatch swatch--${color}`,
          "aria-label": COLOR_NAMES[color],
          "aria-pressed": String(note.color === color),
          title: COLOR_NAMES[color],
          onclick: (event) => {
            event.stopPropagation();
            setColor(el._note, color);
            closePalettes();
            el.focus();
          },
          onkeydown: escape,
        }),
      );
    }
    // Moving without dragging: for touch screens, where drag and drop is unreliable.
    const places = h("div", { class: "move-to", role: "group", "aria-label": "Move to" });
    for (const section of view.sections) {
      if (section.key === note.section) continue;
      places.append(
        h("button", {
          type: "button",
          text: `→ ${section.title}`,
          "aria-label": `Move to ${section.title}`,
          onclick: (event) => {
            event.stopPropagation();
            closePalettes();
            move(el._note, section.key, notesOf(view, section.key).length);
          },
          onkeydown: escape,
        }),
      );
    }
    const editable = can("edit");
    if (editable) palette.append(swatches, h("p", { class: "palette-label", text: "Move to" }), places);
    if (can("group") && typeof note.id === "number") palette.append(...groupChoices(el, escape));
    // Moderation: a facilitator may hold a private note back from the reveal, or let it go.
    const f = facilitation();
    if (isFacilitator() && f?.moderation && ["write", "reveal"].includes(f.phase) && note.private && typeof note.id === "number") {
      palette.append(
        h("p", { class: "palette-label", text: "Moderation" }),
        h(
          "div",
          { class: "move-to", role: "group", "aria-label": "Moderation" },
          h("button", {
            type: "button",
            text: note.hidden ? "Let it be revealed" : "Hold back from the reveal",
            onclick: (event) => {
              event.stopPropagation();
              closePalettes();
              sync.submit("note.hide", { id: note.id, hidden: !note.hidden });
              el.focus();
            },
            onkeydown: escape,
          }),
        ),
      );
    }
    if (!palette.childElementCount) return;
    el.append(palette);
    el._parts.colorButton.setAttribute("aria-expanded", "true");
    (palette.querySelector('[aria-pressed="true"]') || palette.querySelector("button"))?.focus();
  }

  /** Grouping without dragging (keyboard, touch): join a group, start one, or leave one. */
  function groupChoices(el, escape) {
    const note = el._note;
    const choices = h("div", { class: "move-to group-to", role: "group", "aria-label": "Group" });
    const choose = (label, aria, action) =>
      choices.append(
        h("button", {
          type: "button",
          text: label,
          "aria-label": aria,
          onclick: (event) => {
            event.stopPropagation();
            closePalettes();
            action();
            el.focus();
          },
          onkeydown: escape,
        }),
      );
    for (const cluster of view.clusters || []) {
      if (cluster.id === note.cluster) continue;
      choose(`＋ ${clusterName(cluster)}`, `Add to the group ${clusterName(cluster)}`, () => sync.submit("cluster.add_note", { id: cluster.id, note_id: note.id }));
    }
    if (note.cluster == null) choose("New group", "Start a new group with this note", () => sync.submit("cluster.create", { note_ids: [note.id] }));
    else choose("Take out of group", "Take this note out of its group", () => sync.submit("cluster.remove_note", { note_id: note.id }));
    return [h("p", { class: "palette-label", text: "Group" }), choices];
  }

  function closePalettes() {
    for (const palette of root.querySelectorAll(".palette")) {
      palette.closest(".note")?._parts?.colorButton.setAttribute("aria-expanded", "false");
      palette.remove();
    }
  }

  function setColor(note, color) {
    currentColor = color;
    try {
      storage?.setItem?.("resonance:color", color);
    } catch {
      /* not remembered: fine */
    }
    if (note.color === color) return;
    const cid = sync.clientOpIdOf(note.id);
    if (typeof note.id === "string" && cid && sync.amend(cid, { color })) return;
    sync.submit("note.update", { id: note.id, color });
  }

  // --- delete and undo ----------------------------------------------------------

  function deleteNote(el) {
    const note = el._note;
    const index = notesOf(view, note.section).findIndex((n) => n.id === note.id);
    const siblings = [...el.parentElement.querySelectorAll(".note[data-key]")];
    const neighbour = siblings[siblings.indexOf(el) + 1] || siblings[siblings.indexOf(el) - 1];
    const cid = sync.clientOpIdOf(note.id);
    if (!(typeof note.id === "string" && cid && sync.withdraw(cid))) sync.submit("note.delete", { id: note.id });
    (neighbour || el.closest(".section"))?.focus();
    toast("Note deleted", "Undo", () => restore(note, index));
  }

  function restore(note, index) {
    const cid = sync.submit("note.add", { section: note.section, text: note.text, color: note.color });
    // An add lands at the end of its section; put it back where it was.
    const count = notesOf(sync.view(), note.section).length;
    if (index >= 0 && index < count - 1) sync.submit("note.move", { id: pendingId(cid), section: note.section, index });
    requestAnimationFrame(() => ui.notes.get(`c:${cid}`)?.focus());
  }

  function toast(message, actionLabel, action) {
    const el = h("div", { class: "toast", role: "status" }, h("span", { text: message }));
    let timer = null;
    const close = () => {
      clearTimeout(timer);
      el.remove();
    };
    if (actionLabel) {
      el.append(
        h("button", {
          type: "button",
          class: "toast-action",
          text: actionLabel,
          onclick: () => {
            close();
            action();
          },
        }),
      );
    }
    el.append(h("button", { type: "button", class: "toast-close", "aria-label": "Dismiss", text: "×", onclick: close }));
    ui.toasts.append(el);
    timer = setTimeout(close, TOAST_MS);
  }

  // --- drag and drop ------------------------------------------------------------------

  function dropIndex(list, x, y) {
    const items = [...list.querySelectorAll(".note[data-key]")].filter((n) => n.dataset.key !== dragging?.key);
    for (let i = 0; i < items.length; i++) {
      const r = items[i].getBoundingClientRect();
      if (y < r.top || (y <= r.bottom && x < r.left + r.width / 2)) return { index: i, before: items[i] };
    }
    return { index: items.length, before: null };
  }

  function clearDropMarks() {
    for (const el of root.querySelectorAll(".drop-before, .drop-end, .drop-target, .drop-group")) el.classList.remove("drop-before", "drop-end", "drop-target", "drop-group");
  }

  /** In grouping, the note a dragged note is over: dropping it there makes a group. */
  function groupTarget(event) {
    if (facilitation()?.phase !== "group" || !can("group")) return null;
    const target = event.target.closest?.(".note[data-key]");
    return target && target.dataset.key !== dragging?.key ? target : null;
  }

  function onDragOver(event, sectionKey) {
    if (!dragging) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    const target = groupTarget(event);
    if (target) {
      clearDropMarks();
      target.classList.add("drop-group");
      return;
    }
    if (!can("edit")) return;
    const part = ui.sections.get(sectionKey);
    const { before } = dropIndex(part.list, event.clientX, event.clientY);
    clearDropMarks();
    part.el.classList.add("drop-target");
    if (before) before.classList.add("drop-before");
    else part.list.classList.add("drop-end");
  }

  function onDrop(event, sectionKey) {
    if (!dragging) return;
    event.preventDefault();
    const note = view.notes.find((n) => n.id === dragging.id);
    const target = groupTarget(event);
    clearDropMarks();
    if (target) {
      if (note && target._note) group(note, target._note);
      return;
    }
    if (!can("edit")) return;
    const part = ui.sections.get(sectionKey);
    const { index } = dropIndex(part.list, event.clientX, event.clientY);
    if (note) move(note, sectionKey, index);
  }

  // --- wiring ---------------------------------------------------------------------

  sync.addEventListener("change", schedule);
  sync.addEventListener("typing", (event) => {
    const { participant, section } = event.detail;
    if (participant?.id === me?.id) return;
    if (!typists.has(section)) typists.set(section, new Map());
    typists.get(section).set(participant ? participant.id : "someone", { name: participant ? participant.name : null, until: Date.now() + TYPING_SHOW_MS });
    renderTyping();
    setTimeout(renderTyping, TYPING_SHOW_MS + 50);
  });
  sync.addEventListener("op", (event) => {
    // Their note arrived: they are done typing there.
    const actor = event.detail.actor;
    if (!actor) return;
    let changed = false;
    for (const people of typists.values()) changed = people.delete(actor.id) || changed;
    if (changed) renderTyping();
  });
  sync.addEventListener("rejected", (event) => {
    const { code, message } = event.detail;
    toast(code === "not_found" ? "That note was deleted by someone else." : `Not saved: ${message}`);
  });
  window.addEventListener("resize", () => {
    for (const area of ui.persona?.el.querySelectorAll("textarea") || []) fit(area);
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest(".palette, .note-color")) closePalettes();
  });
  window.addEventListener("beforeunload", (event) => {
    if (editing && editing.area.value.trim() && editing.area.value !== editing.original) event.preventDefault();
  });
  schedule();

  return {
    render,
    /** For tests and the console: the note elements of a section, in order. */
    notesIn: (key) => [...(ui.sections.get(key)?.list.querySelectorAll(".note[data-key]") || [])],
  };
}
