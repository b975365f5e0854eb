// The customer journey map's canvas: stages × lanes with notes in cells, the
// Feelings lane (journey-feelings.js), the parking lot, and the facilitator's
// structure tools. It plugs into the board shell (board-shell.js: sync, status,
// presence, facilitation bar) like every board kind, reads only `sync.view()`
// (server state + pending ops) and changes the board only through `sync.submit()`.
// Over 400 lines: the grid's parts share the closure's view and editing state;
// splitting notes from structure tools is the next step (issue #13).

import { COLORS, pendingId } from "./board-state.js";
import { h } from "./dom.js";
import { CURVE_HEIGHT, mountFeelings } from "./journey-feelings.js";

const PHASES_ALLOWING = { add: ["open", "write", "discuss"], edit: ["open", "write", "group", "discuss"] };
const ICONS = {
  trash: "M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3",
  pencil: "M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4",
};

// Icons drawn inline: emoji fonts are not on every machine (kiosk browsers, projectors).
function icon(name) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "icon");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", ICONS[name]);
  svg.append(path);
  return svg;
}

/** Notes of one cell (stage, lane), or of the parking lot with (null, null), in order. */
export function notesIn(state, stage, lane) {
  return state.notes.filter((n) => n.section == null && n.stage === stage && n.lane === lane);
}

export function mountJourneyBoard(app, sync, { me, readOnly = false, storage = globalThis.localStorage } = {}) {
  const boardId = sync.boardId;
  const myId = me.id;
  const isFacilitator = () => sync.me?.role === "facilitator";
  const local = (name) => `journey:${boardId}:${name}`;
  const loadSet = (name) => new Set(JSON.parse(storage?.getItem(local(name)) || "[]"));
  const saveSet = (name, set) => storage?.setItem(local(name), JSON.stringify([...set]));
  const hidden = loadSet("hidden-personas");
  const collapsed = { lane: loadSet("collapsed-lanes"), stage: loadSet("collapsed-stages") };

  let state = null;
  let adding = null; // "stage" | "lane" | "persona": which add form is open
  let renaming = null; // {kind, key}
  let editing = null; // {key, draft}: a note being typed in
  let scoring = "as-is"; // which curve this participant's controls set
  // While a pointer drags a score or a note, the page is not rebuilt under it.
  let held = false;
  let scheduled = false;
  // A rebuild takes the focused note text out of the page: its blur is not the user leaving.
  let rebuilding = false;
  // What the page was last built for, besides the notes; and each cell's element.
  let drawnLayout = "";
  const cellEls = new Map(); // "stage|lane" ("|" for the parking lot) -> {el, add?, counter?}

  const toast = h("div", { class: "journey-toast", role: "alert", "aria-live": "assertive" });
  const root = h("section", { class: "journey", "aria-label": "Customer journey map" });
  app.querySelector(".board-loading")?.remove();
  app.append(root, toast);

  const phase = () => state?.facilitation?.phase || "open";
  const locked = () => !!state?.facilitation?.locked && !isFacilitator();
  const canWrite = () => !readOnly && sync.me?.role !== "observer" && !locked();
  const can = (action) => canWrite() && PHASES_ALLOWING[action].includes(phase());
  const personaName = (p) => p.name || `Persona ${state.personas.indexOf(p) + 1}`;
  const visiblePersonas = () => state.personas.filter((p) => !hidden.has(p.id));
  const keyOf = (note) => {
    const cid = sync.clientOpIdOf(note.id);
    return cid ? `c:${cid}` : `n:${note.id}`;
  };
  const feelings = mountFeelings({ sync, me: myId, isFacilitator, canWrite, personaName, hold });

  function showError(message) {
    toast.textContent = message;
    toast.classList.add("shown");
    clearTimeout(showError.timer);
    showError.timer = setTimeout(() => toast.classList.remove("shown"), 5000);
  }

  function send(kind, data) {
    return sync.submit(kind, data);
  }

  function hold(active) {
    held = active;
    if (!active) schedule();
  }

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      render();
    });
  }

  function render() {
    state = sync.view();
    if (!state || held) return;
    const focused = document.activeElement?.closest?.("[data-focus]")?.dataset.focus;
    const scroll = root.querySelector(".journey-scroll")?.scrollLeft ?? 0;
    root.dataset.phase = phase();
    root.classList.toggle("is-locked", !!state.facilitation?.locked);
    const byCell = new Map();
    for (const note of state.notes) {
      if (note.section != null) continue;
      const key = `${note.stage ?? ""}|${note.lane ?? ""}`;
      if (!byCell.has(key)) byCell.set(key, []);
      byCell.get(key).push(note);
    }
    const { timer: _timer, private_counts: _counts, ...facilitation } = state.facilitation || {};
    const layout = JSON.stringify([
      state.stages, state.lanes, state.personas, state.journey_settings, facilitation, sync.me?.role, [...hidden],
      [...collapsed.lane], [...collapsed.stage], adding, renaming, scoring, (byCell.get("|") || []).length,
      state.emotion_scores.filter((x) => x.participant === myId),
    ]);
    rebuilding = true;
    if (layout === drawnLayout && root.querySelector(".journey-grid")) {
      // Only notes changed: put each cell's cards in place, leave the rest of the page alone.
      for (const [key, entry] of cellEls) {
        const notes = byCell.get(key) || [];
        if (entry.counter) {
          entry.el.firstChild.textContent = notes.length ? String(notes.length) : "";
          continue;
        }
        const want = notes.map(noteCard);
        if (entry.add) want.push(entry.add);
        const have = entry.el.children;
        if (have.length !== want.length || want.some((el, i) => have[i] !== el)) entry.el.replaceChildren(...want);
      }
    } else {
      cellEls.clear();
      root.replaceChildren(toolbar(), grid(), parkingLot(), feelings.details);
      drawnLayout = layout;
    }
    rebuilding = false;
    const present = new Set(state.notes.map(keyOf));
    for (const key of cards.keys()) if (!present.has(key)) cards.delete(key);
    root.querySelector(".journey-scroll").scrollLeft = scroll;
    if (editing) {
      const text = root.querySelector(`[data-key="${CSS.escape(editing.key)}"] .note-text`);
      if (text) {
        text.textContent = editing.draft;
        beginEditing(text);
      } else if (!editing.key.startsWith("c:")) editing = null;
    } else if (focused) {
      root.querySelector(`[data-focus="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
    }
    root.querySelector("[data-autofocus]")?.focus();
    feelings.draw(state, visiblePersonas());
  }

  function beginEditing(text) {
    if (!text.isContentEditable) {
      text.setAttribute("contenteditable", "plaintext-only");
      text.setAttribute("role", "textbox");
      text.setAttribute("aria-multiline", "true");
    }
    if (document.activeElement === text) return;
    text.focus();
    const range = document.createRange();
    range.selectNodeContents(text);
    range.collapse(false);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // --- toolbar: personas (the legend), which curve one scores, the facilitator's settings ---

  function toolbar() {
    const chips = state.personas.map((persona) => {
      const shown = !hidden.has(persona.id);
      if (renaming?.kind === "persona" && renaming.key === persona.id) {
        return inlineForm(`Name of ${personaName(persona)}`, (name) => send("persona.update", { id: persona.id, name }), persona.name);
      }
      const toggle = () => {
        if (shown) hidden.add(persona.id);
        else hidden.delete(persona.id);
        saveSet("hidden-personas", hidden);
        render();
      };
      return h(
        "span",
        { class: "persona-chip-wrap" },
        h(
          "button",
          { type: "button", class: "persona-chip", "aria-pressed": String(shown), "--persona": persona.color, "data-focus": `persona:${persona.id}`, title: shown ? "Hide this persona's curves" : "Show this persona's curves", onclick: toggle },
          h("span", { class: "swatch", "aria-hidden": "true" }),
          personaName(persona),
        ),
        isFacilitator() && h("button", { type: "button", class: "icon-button", "aria-label": `Rename persona ${personaName(persona)}`, title: "Rename persona", onclick: () => open(null, { kind: "persona", key: persona.id }) }, icon("pencil")),
        isFacilitator() &&
          state.personas.length > 1 &&
          h(
            "button",
            {
              type: "button",
              class: "icon-button",
              "aria-label": `Remove persona ${personaName(persona)}`,
              title: "Remove persona",
              onclick() {
                const scores = state.emotion_scores.filter((s) => s.persona === persona.id).length;
                if (confirm(`Stop following ${personaName(persona)}? Their ${scores} emotion score(s) are deleted.`)) send("persona.remove", { id: persona.id });
              },
            },
            "×",
          ),
      );
    });
    const addPersona =
      isFacilitator() &&
      (adding === "persona"
        ? inlineForm("New persona’s name", (name) => send("persona.add", { name }))
        : h("button", { type: "button", class: "btn-ghost", onclick: () => open("persona") }, "+ Persona"));
    const curveChoice =
      canWrite() &&
      h(
        "fieldset",
        { class: "curve-choice" },
        h("legend", {}, "Your scores set"),
        ["as-is", "to-be"].map((curve) =>
          h(
            "label",
            {},
            h("input", { type: "radio", name: "scoring", value: curve, checked: scoring === curve, onchange: () => ((scoring = curve), render()) }),
            curve === "as-is" ? " As-is (today)" : " To-be (the aim)",
          ),
        ),
      );
    const settings = isFacilitator() && [
      h(
        "label",
        { class: "journey-setting" },
        h("input", { type: "checkbox", checked: state.journey_settings.scores_visible_before_own, onchange: (e) => send("journey.settings", { scores_visible_before_own: e.target.checked }) }),
        " Participants see others’ scores before giving their own",
      ),
      h(
        "label",
        { class: "journey-setting" },
        "Show a stage’s scores from ",
        h("input", {
          type: "number",
          min: "1",
          max: "50",
          class: "floor-input",
          "aria-label": "Respondent floor: the fewest scores a stage needs before participants see them",
          value: String(state.journey_settings.respondent_floor ?? 3),
          onchange(e) {
            const floor = Number(e.target.value);
            if (Number.isInteger(floor) && floor >= 1 && floor <= 50) send("journey.settings", { respondent_floor: floor });
            else showError("The floor is a whole number from 1 to 50.");
          },
        }),
        " scores on",
      ),
    ];
    const legend = h("span", { class: "curve-legend", "aria-hidden": "true" }, "— as-is · - - to-be · ★ moment of truth · band ±1 s.d.");
    return h(
      "div",
      { class: "journey-toolbar" },
      h("div", { class: "personas", role: "group", "aria-label": "Personas (the curves' legend): show or hide their curves" }, chips, addPersona),
      legend,
      curveChoice,
      settings,
    );
  }

  function open(what, rename = null) {
    adding = what;
    renaming = rename;
    render();
  }

  function inlineForm(label, submit, initial = "") {
    const input = h("input", {
      type: "text",
      value: initial,
      maxlength: "120",
      "aria-label": label,
      placeholder: label,
      "data-autofocus": "",
      onkeydown(event) {
        if (event.key === "Escape") open(null);
      },
    });
    return h(
      "form",
      {
        class: "inline-form",
        onsubmit(event) {
          event.preventDefault();
          const value = input.value.trim();
          if (value && value !== initial) submit(value);
          open(null);
        },
      },
      input,
      h("button", { type: "submit", class: "btn-small" }, "OK"),
    );
  }

  // --- the grid -------------------------------------------------------------------------------

  function grid() {
    const stages = state.stages;
    const n = stages.length;
    const names = state.personas.map(personaName);
    const cells = [h("div", { class: "corner" }, h("span", { class: "persona-line" }, names.length ? `Journey of ${names.join(" & ")}` : "Journey"))];
    stages.forEach((stage, i) => cells.push(header("stage", stage, i, n)));
    if (isFacilitator()) cells.push(h("div", { class: "add-column" }, adding === "stage" ? inlineForm("New stage", (title) => send("stage.add", { title })) : h("button", { type: "button", class: "btn-ghost", "aria-label": "Add a stage", onclick: () => open("stage") }, "+ Stage")));
    state.lanes.forEach((lane, i) => {
      cells.push(header("lane", lane, i, state.lanes.length));
      if (lane.kind === "emotion") cells.push(feelings.cell(state, lane, visiblePersonas(), scoring));
      else stages.forEach((stage) => cells.push(noteCell(stage, lane)));
      if (isFacilitator()) cells.push(h("div", { class: "filler" }));
    });
    if (isFacilitator()) cells.push(h("div", { class: "add-row" }, adding === "lane" ? inlineForm("New lane", (title) => send("lane.add", { title })) : h("button", { type: "button", class: "btn-ghost", "aria-label": "Add a lane", onclick: () => open("lane") }, "+ Lane")));
    // Collapsed stages are narrow columns; the curve keeps equal columns, so it is left as is.
    const columns = stages.map((s) => (collapsed.stage.has(s.key) ? "3rem" : "minmax(12rem, 1fr)")).join(" ");
    return h(
      "div",
      { class: "journey-scroll" },
      h("div", { class: `journey-grid${isFacilitator() ? " with-tools" : ""}`, "--stages": String(Math.max(n, 1)), "--stage-columns": columns || "1fr" }, cells),
    );
  }

  function collapseButton(kind, item) {
    const closed = collapsed[kind].has(item.key);
    return h(
      "button",
      {
        type: "button",
        class: "icon-button collapse",
        "aria-expanded": String(!closed),
        "aria-label": `${closed ? "Expand" : "Collapse"} ${item.title}`,
        onclick() {
          if (closed) collapsed[kind].delete(item.key);
          else collapsed[kind].add(item.key);
          saveSet(`collapsed-${kind}s`, collapsed[kind]);
          render();
        },
      },
      closed ? "▸" : "▾",
    );
  }

  function header(kind, item, index, count) {
    const renamingThis = renaming?.kind === kind && renaming.key === item.key;
    const title = renamingThis
      ? inlineForm(`Rename ${item.title}`, (t) => send(`${kind}.rename`, { [kind]: item.key, title: t }), item.title)
      : h(kind === "stage" ? "h2" : "h3", { class: `${kind}-title` }, item.title);
    const attrs =
      kind === "stage"
        ? { class: `stage-header${collapsed.stage.has(item.key) ? " collapsed" : ""}`, role: "columnheader", "data-stage": item.key }
        : { class: `lane-header lane-${item.kind}${collapsed.lane.has(item.key) ? " collapsed" : ""}`, role: "rowheader", "data-lane": item.key };
    const hint = kind === "lane" && item.kind === "emotion" ? h("p", { class: "lane-hint" }, emotionHint()) : null;
    return h("div", attrs, collapseButton(kind, item), title, hint, structureTools(kind, item, index, count));
  }

  function emotionHint() {
    if (!canWrite()) return "The room’s curves";
    const blind = !state.journey_settings.scores_visible_before_own && sync.me?.role === "participant";
    const floor = state.journey_settings.respondent_floor ?? 3;
    let text = `Your ${scoring} score: click, drag or use ↑ ↓.`;
    if (blind) text += " The room’s scores at a stage show once you give yours.";
    if (floor > 1) text += ` A stage shows once ${floor} people scored it.`;
    return text;
  }

  function structureTools(kind, item, index, count) {
    if (!isFacilitator()) return null;
    const [back, forward] = kind === "stage" ? ["◀", "▶"] : ["▲", "▼"];
    const [backWord, forwardWord] = kind === "stage" ? ["left", "right"] : ["up", "down"];
    const move = (to) => send(`${kind}.move`, { [kind]: item.key, index: to });
    const remove = () => {
      const notes = state.notes.filter((note) => note[kind] === item.key).length;
      let message = `Delete the ${kind} “${item.title}”?`;
      if (notes) message += ` Its ${notes} note(s) move to the parking lot.`;
      if (kind === "stage") {
        const scores = state.emotion_scores.filter((s) => s.stage === item.key).length;
        if (scores) message += ` Its ${scores} emotion score(s) are deleted.`;
      }
      if (confirm(message)) send(`${kind}.delete`, { [kind]: item.key });
    };
    return h(
      "div",
      { class: "structure-tools" },
      h("button", { type: "button", class: "icon-button", "aria-label": `Move ${item.title} ${backWord}`, disabled: index === 0, onclick: () => move(index - 1) }, back),
      h("button", { type: "button", class: "icon-button", "aria-label": `Move ${item.title} ${forwardWord}`, disabled: index === count - 1, onclick: () => move(index + 1) }, forward),
      h("button", { type: "button", class: "icon-button", "aria-label": `Rename ${item.title}`, onclick: () => open(null, { kind, key: item.key }) }, icon("pencil")),
      h("button", { type: "button", class: "icon-button danger", "aria-label": `Delete ${item.title}`, onclick: remove }, icon("trash")),
    );
  }

  // --- notes ------------------------------------------------------------------------------

  function noteCell(stage, lane) {
    const notes = notesIn(state, stage.key, lane.key);
    const closed = collapsed.lane.has(lane.key) || collapsed.stage.has(stage.key);
    const cell = h("div", { class: `cell${closed ? " collapsed" : ""}`, "data-stage": stage.key, "data-lane": lane.key, role: "group", "aria-label": `${stage.title} · ${lane.title}` });
    if (closed) {
      cell.append(h("span", { class: "cell-count", title: "notes in this cell" }, notes.length ? String(notes.length) : ""));
      cellEls.set(`${stage.key}|${lane.key}`, { el: cell, counter: true });
      return cell;
    }
    dropTarget(cell, stage.key, lane.key);
    for (const note of notes) cell.append(noteCard(note));
    const entry = { el: cell, add: null };
    cellEls.set(`${stage.key}|${lane.key}`, entry);
    if (can("add")) {
      entry.add = cell.appendChild(
        h(
          "button",
          {
            type: "button",
            class: "add-note",
            "aria-label": `Add a note to ${stage.title} · ${lane.title}`,
            "data-focus": `add:${stage.key}:${lane.key}`,
            onclick() {
              const cid = send("note.add", { stage: stage.key, lane: lane.key, text: "" });
              editing = { key: `c:${cid}`, draft: "" };
              render();
            },
          },
          "+",
        ),
      );
    }
    return cell;
  }

  // Note cards are kept between rebuilds and reused while nothing they show changed:
  // at 2,000 notes, making every card again on every op is most of a rebuild's time.
  const cards = new Map(); // key -> {signature, el}

  function noteCard(note) {
    const key = keyOf(note);
    const votes = (state.votes || []).filter((v) => v.note === note.id);
    const cluster = note.cluster != null ? (state.clusters || []).find((c) => c.id === note.cluster) : null;
    const f = state.facilitation || {};
    const signature = JSON.stringify([note, votes, cluster, phase(), canWrite(), isFacilitator(), f.votes_closed, f.votes_hidden, f.votes_per_person, f.votes_per_note]);
    const kept = cards.get(key);
    if (kept && kept.signature === signature && !(editing && editing.key === key && !kept.el.querySelector("[contenteditable]"))) {
      kept.el.classList.remove("drop-here", "group-here", "dragging");
      return kept.el;
    }
    const el = makeCard(note, key);
    cards.set(key, { signature, el });
    return el;
  }

  function makeCard(note, key) {
    const mine = note.author?.id === myId;
    const editable = can("edit") && (mine || isFacilitator() || !note.private);
    // Editable only while being edited: a note is dragged by any part of it, text included.
    const text = h("div", { class: "note-text", "aria-label": "Note text", spellcheck: "true" });
    text.textContent = note.text;
    if (!note.text) text.dataset.placeholder = editable ? "Type…" : "";
    const flags = `${note.private ? " private" : ""}${note.pending ? " pending" : ""}`;
    const card = h(
      "article",
      {
        class: `note note-${note.color}${flags}`,
        "data-note-id": String(note.id),
        "data-key": key,
        "data-focus": `note:${key}`,
        tabindex: "0",
        draggable: editable ? "true" : null,
        "aria-label": `Note: ${note.text || "empty"}${note.private ? " (private until the reveal)" : ""}${editable ? ". Enter edits, Alt+arrow keys move, Delete removes." : ""}`,
      },
      text,
    );
    decorate(card, note);
    if (!editable) return card;
    const finish = () => {
      if (rebuilding) return;
      text.removeAttribute("contenteditable");
      text.removeAttribute("role");
      const draft = text.textContent;
      const wasEditing = editing?.key === key;
      editing = null;
      if (!wasEditing || draft === note.text) return;
      // A note added offline and not sent yet: its add carries the text.
      const cid = sync.clientOpIdOf(note.id);
      if (!(cid && sync.amend(cid, { text: draft }))) send("note.update", { id: note.id, text: draft });
    };
    text.addEventListener("click", () => beginEditing(text));
    text.addEventListener("focus", () => {
      if (editing?.key !== key) editing = { key, draft: note.text };
    });
    text.addEventListener("input", () => {
      if (editing?.key === key) editing.draft = text.textContent;
    });
    text.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        text.blur();
      } else if (event.key === "Escape") {
        text.textContent = note.text;
        editing = null;
        text.blur();
      }
    });
    text.addEventListener("blur", finish);
    card.addEventListener("keydown", (event) => {
      if (event.target !== card) return;
      if (event.altKey && event.key.startsWith("Arrow")) {
        event.preventDefault();
        moveByKeyboard(note, event.key);
      } else if (event.key === "Enter") {
        event.preventDefault();
        beginEditing(text);
      } else if (event.key === "Delete") send("note.delete", { id: note.id });
    });
    card.addEventListener("dragstart", (event) => {
      event.dataTransfer.setData("application/x-resonance-note", String(note.id));
      event.dataTransfer.effectAllowed = "move";
      card.classList.add("dragging");
      hold(true);
    });
    card.addEventListener("dragend", () => {
      card.classList.remove("dragging");
      hold(false);
    });
    const nextColor = () => COLORS[(COLORS.indexOf(note.color) + 1) % COLORS.length];
    card.append(
      h(
        "div",
        { class: "note-tools" },
        h("button", { type: "button", class: "note-color", "aria-label": "Change colour", title: "Change colour", onclick: () => send("note.update", { id: note.id, color: nextColor() }) }, "●"),
        h("button", { type: "button", class: "note-delete", "aria-label": "Delete note", title: "Delete note", onclick: () => send("note.delete", { id: note.id }) }, "×"),
      ),
    );
    return card;
  }

  // --- grouping and dot voting on notes (the phases of the facilitation bar) ---------

  function decorate(card, note) {
    const cluster = note.cluster != null ? (state.clusters || []).find((c) => c.id === note.cluster) : null;
    if (cluster) card.append(h("span", { class: "note-group", "data-cluster": String(cluster.id) }, `Group: ${cluster.title || "untitled"}`));
    if (phase() === "group" && canWrite()) groupTarget(card, note);
    const votes = (state.votes || []).filter((v) => v.note === note.id);
    const f = state.facilitation || {};
    const shown = !f.votes_hidden || f.votes_closed || isFacilitator();
    const mine = votes.filter((v) => v.voter === myId).length;
    if (votes.length && shown) card.append(h("span", { class: "vote-total" }, `${votes.length} vote${votes.length === 1 ? "" : "s"}`));
    if (phase() !== "vote" || !canWrite() || f.votes_closed || typeof note.id !== "number") return;
    const left = (f.votes_per_person ?? 0) - (state.votes || []).filter((v) => v.voter === myId).length;
    card.append(
      h(
        "span",
        { class: "note-votes" },
        h("button", { type: "button", class: "vote-add", "aria-label": `Vote for this note (you gave ${mine})`, disabled: left <= 0 || mine >= (f.votes_per_note ?? 1), onclick: () => send("vote.add", { note_id: note.id }) }, "Vote"),
        mine ? h("button", { type: "button", class: "vote-remove", "aria-label": "Take one vote back", onclick: () => send("vote.remove", { note_id: note.id }) }, "−") : null,
        mine ? h("span", { class: "my-votes" }, `yours: ${mine}`) : null,
      ),
    );
  }

  /** In the grouping phase a note dropped onto another joins its group (or makes one). */
  function groupTarget(card, note) {
    card.addEventListener("dragover", (event) => {
      if (!event.dataTransfer.types.includes("application/x-resonance-note")) return;
      event.preventDefault();
      event.stopPropagation();
      card.classList.add("group-here");
    });
    card.addEventListener("dragleave", () => card.classList.remove("group-here"));
    card.addEventListener("drop", (event) => {
      event.preventDefault();
      event.stopPropagation();
      card.classList.remove("group-here");
      const id = Number(event.dataTransfer.getData("application/x-resonance-note"));
      if (!id || id === note.id || typeof note.id !== "number") return;
      if (note.cluster != null) send("cluster.add_note", { id: note.cluster, note_id: id });
      else send("cluster.create", { note_ids: [note.id, id] });
    });
  }

  function moveByKeyboard(note, key) {
    const stages = state.stages.map((s) => s.key);
    const lanes = state.lanes.filter((lane) => lane.kind === "notes").map((l) => l.key);
    let stage = note.stage ?? stages[0];
    let lane = note.lane ?? lanes[0];
    if (note.stage != null) {
      const si = stages.indexOf(stage);
      const li = lanes.indexOf(lane);
      if (key === "ArrowLeft") stage = stages[Math.max(0, si - 1)];
      if (key === "ArrowRight") stage = stages[Math.min(stages.length - 1, si + 1)];
      if (key === "ArrowUp") lane = lanes[Math.max(0, li - 1)];
      if (key === "ArrowDown") lane = lanes[Math.min(lanes.length - 1, li + 1)];
    }
    if (stage === note.stage && lane === note.lane) return;
    send("note.move", { id: note.id, stage, lane, index: notesIn(state, stage, lane).length });
  }

  function dropTarget(el, stage, lane) {
    if (!canWrite()) return;
    el.addEventListener("dragover", (event) => {
      if (!event.dataTransfer.types.includes("application/x-resonance-note")) return;
      event.preventDefault();
      el.classList.add("drop-here");
    });
    el.addEventListener("dragleave", () => el.classList.remove("drop-here"));
    el.addEventListener("drop", (event) => {
      event.preventDefault();
      el.classList.remove("drop-here");
      const raw = event.dataTransfer.getData("application/x-resonance-note");
      const id = raw.startsWith("pending:") ? raw : Number(raw);
      const others = [...el.querySelectorAll(".note")].filter((card) => card.dataset.noteId !== String(id));
      let index = others.findIndex((card) => {
        const box = card.getBoundingClientRect();
        return event.clientY < box.top + box.height / 2;
      });
      if (index < 0) index = others.length;
      const note = state.notes.find((n) => n.id === id);
      if (!note) return;
      const current = notesIn(state, note.stage, note.lane).indexOf(note);
      if (note.stage === stage && note.lane === lane && current === index) return;
      send("note.move", { id, stage, lane, index });
    });
  }

  function parkingLot() {
    const notes = notesIn(state, null, null);
    const lot = h(
      "section",
      { class: `parking-lot${notes.length ? "" : " empty"}`, "aria-labelledby": "parking-lot-title" },
      h("h2", { id: "parking-lot-title" }, "Parking lot ", h("span", { class: "count" }, String(notes.length))),
      h("p", { class: "muted" }, notes.length ? "Notes from deleted stages and lanes wait here: drag them back into a cell." : "Notes of a deleted stage or lane land here, never lost."),
    );
    const list = h("div", { class: "parking-notes", role: "group", "aria-label": "Parking lot notes" });
    dropTarget(list, null, null);
    for (const note of notes) list.append(noteCard(note));
    cellEls.set("|", { el: list, add: null });
    lot.append(list);
    return lot;
  }

  sync.addEventListener("change", schedule);
  sync.addEventListener("rejected", (event) => showError(event.detail.message || "That did not work."));
  window.addEventListener("resize", schedule);
  schedule();

  return { render, curveHeight: CURVE_HEIGHT, pendingId };
}
