// The customer journey map page: stages × lanes with notes in cells, the
// Feelings lane with the live emotion curve and each participant's own score
// controls, the parking lot, and the facilitator's structure tools.
// State comes from journey-sync.js (socket) and journey-state.js (reducer);
// every change is an op sent to the server, never a local edit of the state.

import { connect } from "./journey-sync.js";
import { applyOp, canApply, notesIn, ownScore } from "./journey-state.js";
import { curveLoader, formatMean, scoreSlider, scoreText } from "./curve.js";
import { renderClosed } from "./lifecycle.js";

const app = document.getElementById("board-app");
const boardId = Number(app.dataset.boardId);
const me = Number(app.dataset.participantId);
const role = app.dataset.participantRole;
const isFacilitator = role === "facilitator";
const canWrite = role !== "observer";
const CURVE_HEIGHT = 220;
const COLORS = ["yellow", "pink", "blue", "green", "orange", "purple"];
const HIDDEN_KEY = `journey:${boardId}:hidden-personas`;

let state = null;
let numbers = null;
let status = "connecting";
let adding = null; // "stage" | "lane" | "persona": which add form is open
let renaming = null; // {kind: "stage"|"lane", key}
let editing = null; // {id, draft}: a note being typed in
let focusMyNextNote = false;
// While a pointer drags a score or a note, the page is not rebuilt under it;
// what arrived meanwhile is drawn when it lets go.
let held = false;
let renderWaiting = false;
const pendingScores = new Map(); // "stage|persona" -> score shown before the server confirms
const hidden = new Set(JSON.parse(localStorage.getItem(HIDDEN_KEY) || "[]"));

// --- a tiny DOM helper -------------------------------------------------------------------

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === "class") el.className = value;
    else if (key === "style" && typeof value === "object") Object.assign(el.style, value);
    else if (key.startsWith("--")) el.style.setProperty(key, value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// Icons drawn inline: emoji fonts are not on every machine (kiosk browsers, projectors).
const ICONS = {
  trash: "M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3",
  pencil: "M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4",
};

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

// --- the page skeleton ---------------------------------------------------------------------

const toast = h("div", { class: "journey-toast", role: "alert", "aria-live": "assertive" });
const root = h("section", { class: "journey", "aria-label": "Customer journey map" });
const curveHolder = h("div", { class: "curve-holder" });
app.querySelector(".muted")?.remove();
app.append(root, toast);

const sync = connect(boardId, { reduce: applyOp, canApply });
// workshop.close is not drawn by this page's reducer: the snapshot that follows it says closed.
sync.onState((state) => renderClosed(app, state));
const curve = curveLoader(boardId, {
  holder: curveHolder,
  onNumbers(json) {
    numbers = json;
    renderTable();
  },
});

function send(kind, data) {
  return sync.sendOp(kind, data).catch((error) => {
    showError(error.message || "That did not work.");
    throw error;
  });
}

let toastTimer = null;
function showError(message) {
  toast.textContent = message;
  toast.classList.add("shown");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => toast.classList.remove("shown"), 5000);
}

sync.onStatus((value) => {
  status = value;
  const el = root.querySelector(".journey-status");
  if (el) updateStatus(el);
});

sync.onState((next, event) => {
  state = next;
  if (event && event.op === "note.add" && event.actor?.id === me && focusMyNextNote) {
    focusMyNextNote = false;
    editing = { id: event.data.id, draft: event.data.text, fresh: true };
  }
  for (const [key, value] of pendingScores) {
    const [stage, persona] = key.split("|");
    if (ownScore(state, me, stage, Number(persona)) === value) pendingScores.delete(key);
  }
  render();
});

window.addEventListener("resize", () => scheduleCurve());

// --- rendering ------------------------------------------------------------------------------

function visiblePersonas() {
  return state.personas.filter((p) => !hidden.has(p.id));
}

function personaName(persona) {
  return persona.name || `Persona ${state.personas.indexOf(persona) + 1}`;
}

function hold(active) {
  held = active;
  if (!active && renderWaiting) render();
}

function render() {
  if (!state) return;
  if (held) {
    renderWaiting = true;
    return;
  }
  renderWaiting = false;
  const focused = document.activeElement?.closest?.("[data-focus]")?.dataset.focus;
  const scroll = root.querySelector(".journey-scroll")?.scrollLeft ?? 0;
  root.replaceChildren(toolbar(), grid(), parkingLot(), tablePanel());
  root.querySelector(".journey-scroll").scrollLeft = scroll;
  renderTable();
  if (editing) {
    const text = root.querySelector(`[data-note-id="${editing.id}"] .note-text`);
    if (text) {
      text.textContent = editing.draft;
      beginEditing(text);
    } else {
      editing = null;
    }
  } else if (focused) {
    root.querySelector(`[data-focus="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
  }
  const autofocus = root.querySelector("[data-autofocus]");
  if (autofocus) autofocus.focus();
  scheduleCurve();
}

function beginEditing(text) {
  if (text.isContentEditable) return;
  text.setAttribute("contenteditable", "plaintext-only");
  text.setAttribute("role", "textbox");
  text.setAttribute("aria-multiline", "true");
  text.focus();
  placeCaretAtEnd(text);
}

function placeCaretAtEnd(el) {
  const range = document.createRange();
  range.selectNodeContents(el);
  range.collapse(false);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

function updateStatus(el) {
  el.textContent = { live: "Live", connecting: "Connecting…", offline: "Offline — reconnecting…" }[status];
  el.dataset.status = status;
}

function toolbar() {
  const chips = state.personas.map((persona) => {
    const shown = !hidden.has(persona.id);
    if (renaming && renaming.kind === "persona" && renaming.key === persona.id) {
      return inlineForm(`Name of ${personaName(persona)}`, (name) => send("persona.update", { id: persona.id, name }), persona.name);
    }
    return h(
      "span",
      { class: "persona-chip-wrap" },
      h(
        "button",
        {
          type: "button",
          class: "persona-chip",
          "aria-pressed": String(shown),
          "--persona": persona.color,
          "data-focus": `persona:${persona.id}`,
          title: shown ? "Hide this persona's curve" : "Show this persona's curve",
          onclick() {
            if (shown) hidden.add(persona.id);
            else hidden.delete(persona.id);
            localStorage.setItem(HIDDEN_KEY, JSON.stringify([...hidden]));
            render();
          },
        },
        h("span", { class: "swatch", "aria-hidden": "true" }),
        personaName(persona),
      ),
      isFacilitator
        ? h(
            "button",
            {
              type: "button",
              class: "icon-button",
              "aria-label": `Rename persona ${personaName(persona)}`,
              title: "Rename persona",
              onclick() {
                renaming = { kind: "persona", key: persona.id };
                adding = null;
                render();
              },
            },
            icon("pencil"),
          )
        : null,
      isFacilitator && state.personas.length > 1
        ? h(
            "button",
            {
              type: "button",
              class: "icon-button",
              "aria-label": `Remove persona ${personaName(persona)}`,
              title: "Remove persona",
              onclick() {
                const scores = state.emotion_scores.filter((s) => s.persona === persona.id).length;
                if (confirm(`Stop following ${personaName(persona)}? Their ${scores} emotion score(s) are deleted.`))
                  send("persona.remove", { id: persona.id });
              },
            },
            "×",
          )
        : null,
    );
  });
  const addPersona =
    isFacilitator &&
    (adding === "persona"
      ? inlineForm("New persona’s name", (name) => send("persona.add", { name }))
      : h("button", { type: "button", class: "btn-ghost", onclick: () => open("persona") }, "+ Persona"));
  const setting =
    isFacilitator &&
    h(
      "label",
      { class: "journey-setting" },
      h("input", {
        type: "checkbox",
        checked: state.journey_settings.scores_visible_before_own,
        onchange(event) {
          send("journey.settings", { scores_visible_before_own: event.target.checked }).catch(render);
        },
      }),
      " Participants see others’ scores before giving their own",
    );
  const statusEl = h("span", { class: "journey-status", role: "status" });
  updateStatus(statusEl);
  return h(
    "div",
    { class: "journey-toolbar" },
    h("div", { class: "personas", role: "group", "aria-label": "Personas: show or hide their curves" }, chips, addPersona),
    setting,
    statusEl,
  );
}

function open(what) {
  adding = what;
  renaming = null;
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
      if (event.key === "Escape") {
        adding = renaming = null;
        render();
      }
    },
  });
  return h(
    "form",
    {
      class: "inline-form",
      onsubmit(event) {
        event.preventDefault();
        const value = input.value.trim();
        adding = renaming = null;
        if (value && value !== initial) submit(value);
        render();
      },
    },
    input,
    h("button", { type: "submit", class: "btn-small" }, "OK"),
  );
}

function grid() {
  const stages = state.stages;
  const n = stages.length;
  const cells = [h("div", { class: "corner" }, h("span", { class: "persona-line" }, personaSummary()))];
  stages.forEach((stage, i) => cells.push(stageHeader(stage, i, n)));
  if (isFacilitator) {
    cells.push(
      h(
        "div",
        { class: "add-column" },
        adding === "stage"
          ? inlineForm("New stage", (title) => send("stage.add", { title }))
          : h("button", { type: "button", class: "btn-ghost", "aria-label": "Add a stage", onclick: () => open("stage") }, "+ Stage"),
      ),
    );
  }
  state.lanes.forEach((lane, i) => {
    cells.push(laneHeader(lane, i, state.lanes.length));
    if (lane.kind === "emotion") cells.push(curveCell(lane, n));
    else stages.forEach((stage) => cells.push(noteCell(stage, lane)));
    if (isFacilitator) cells.push(h("div", { class: "filler" }));
  });
  if (isFacilitator) {
    cells.push(
      h(
        "div",
        { class: "add-row" },
        adding === "lane"
          ? inlineForm("New lane", (title) => send("lane.add", { title }))
          : h("button", { type: "button", class: "btn-ghost", "aria-label": "Add a lane", onclick: () => open("lane") }, "+ Lane"),
      ),
    );
  }
  return h(
    "div",
    { class: "journey-scroll" },
    h("div", { class: `journey-grid${isFacilitator ? " with-tools" : ""}`, "--stages": String(Math.max(n, 1)) }, cells),
  );
}

function personaSummary() {
  const names = state.personas.map(personaName);
  return names.length ? `Journey of ${names.join(" & ")}` : "Journey";
}

function structureTools(kind, item, index, count) {
  if (!isFacilitator) return null;
  const [back, forward] = kind === "stage" ? ["◀", "▶"] : ["▲", "▼"];
  const [backWord, forwardWord] = kind === "stage" ? ["left", "right"] : ["up", "down"];
  const move = (to) => send(`${kind}.move`, { [kind]: item.key, index: to });
  return h(
    "div",
    { class: "structure-tools" },
    h("button", { type: "button", class: "icon-button", "aria-label": `Move ${item.title} ${backWord}`, disabled: index === 0, onclick: () => move(index - 1) }, back),
    h("button", { type: "button", class: "icon-button", "aria-label": `Move ${item.title} ${forwardWord}`, disabled: index === count - 1, onclick: () => move(index + 1) }, forward),
    h(
      "button",
      {
        type: "button",
        class: "icon-button",
        "aria-label": `Rename ${item.title}`,
        onclick() {
          renaming = { kind, key: item.key };
          adding = null;
          render();
        },
      },
      icon("pencil"),
    ),
    h(
      "button",
      {
        type: "button",
        class: "icon-button danger",
        "aria-label": `Delete ${item.title}`,
        onclick() {
          const notes = state.notes.filter((note) => note[kind] === item.key).length;
          let message = `Delete the ${kind} “${item.title}”?`;
          if (notes) message += ` Its ${notes} note(s) move to the parking lot.`;
          if (kind === "stage") {
            const scores = state.emotion_scores.filter((s) => s.stage === item.key).length;
            if (scores) message += ` Its ${scores} emotion score(s) are deleted.`;
          }
          if (confirm(message)) send(`${kind}.delete`, { [kind]: item.key });
        },
      },
      icon("trash"),
    ),
  );
}

function titleOrRename(kind, item, tag) {
  if (renaming && renaming.kind === kind && renaming.key === item.key) {
    return inlineForm(`Rename ${item.title}`, (title) => send(`${kind}.rename`, { [kind]: item.key, title }), item.title);
  }
  return h(tag, { class: `${kind}-title` }, item.title);
}

function stageHeader(stage, index, count) {
  return h(
    "div",
    { class: "stage-header", role: "columnheader", "data-stage": stage.key },
    titleOrRename("stage", stage, "h2"),
    structureTools("stage", stage, index, count),
  );
}

function emotionHint() {
  if (!canWrite) return "The room’s curve";
  const blind = !state.journey_settings.scores_visible_before_own && role === "participant";
  return blind
    ? "Your score: click, drag or use ↑ ↓. The room’s scores at a stage show once you give yours."
    : "Your score: click, drag or use ↑ ↓";
}

function laneHeader(lane, index, count) {
  return h(
    "div",
    { class: `lane-header lane-${lane.kind}`, role: "rowheader", "data-lane": lane.key },
    titleOrRename("lane", lane, "h3"),
    lane.kind === "emotion" ? h("p", { class: "lane-hint" }, emotionHint()) : null,
    structureTools("lane", lane, index, count),
  );
}

// --- notes -------------------------------------------------------------------------------------

function noteCell(stage, lane) {
  const cell = h("div", {
    class: "cell",
    "data-stage": stage.key,
    "data-lane": lane.key,
    role: "group",
    "aria-label": `${stage.title} · ${lane.title}`,
  });
  dropTarget(cell, stage.key, lane.key);
  for (const note of notesIn(state, stage.key, lane.key)) cell.append(noteCard(note));
  if (canWrite) {
    cell.append(
      h(
        "button",
        {
          type: "button",
          class: "add-note",
          "aria-label": `Add a note to ${stage.title} · ${lane.title}`,
          "data-focus": `add:${stage.key}:${lane.key}`,
          onclick() {
            focusMyNextNote = true;
            send("note.add", { stage: stage.key, lane: lane.key, text: "" });
          },
        },
        "+",
      ),
    );
  }
  return cell;
}

function noteCard(note) {
  // Editable only while being edited: a note is dragged by any part of it, text included.
  const text = h("div", { class: "note-text", "aria-label": "Note text", spellcheck: "true" });
  text.textContent = note.text;
  if (!note.text) text.dataset.placeholder = canWrite ? "Type…" : "";
  const card = h(
    "article",
    {
      class: `note note-${note.color}`,
      "data-note-id": String(note.id),
      "data-focus": `note:${note.id}`,
      tabindex: "0",
      draggable: canWrite ? "true" : null,
      "aria-label": `Note: ${note.text || "empty"}${canWrite ? ". Enter edits, Alt+arrow keys move, Delete removes." : ""}`,
    },
    text,
  );
  if (!canWrite) return card;
  text.addEventListener("click", () => beginEditing(text));
  text.addEventListener("focus", () => {
    if (!editing || editing.id !== note.id) editing = { id: note.id, draft: note.text };
  });
  text.addEventListener("input", () => {
    if (editing && editing.id === note.id) editing.draft = text.textContent;
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
  text.addEventListener("blur", () => {
    text.removeAttribute("contenteditable");
    text.removeAttribute("role");
    const draft = text.textContent;
    const wasEditing = editing && editing.id === note.id;
    editing = null;
    if (wasEditing && draft !== note.text) send("note.update", { id: note.id, text: draft }).catch(() => {});
  });
  card.addEventListener("keydown", (event) => {
    if (event.target !== card) return;
    if (event.altKey && event.key.startsWith("Arrow")) {
      event.preventDefault();
      moveByKeyboard(note, event.key);
    } else if (event.key === "Enter") {
      event.preventDefault();
      beginEditing(text);
    } else if (event.key === "Delete") {
      send("note.delete", { id: note.id });
    }
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
  const tools = h(
    "div",
    { class: "note-tools" },
    h(
      "button",
      {
        type: "button",
        class: "note-color",
        "aria-label": "Change colour",
        title: "Change colour",
        onclick() {
          const next = COLORS[(COLORS.indexOf(note.color) + 1) % COLORS.length];
          send("note.update", { id: note.id, color: next });
        },
      },
      "●",
    ),
    h("button", { type: "button", class: "note-delete", "aria-label": "Delete note", title: "Delete note", onclick: () => send("note.delete", { id: note.id }) }, "×"),
  );
  card.append(tools);
  return card;
}

function noteLanes() {
  return state.lanes.filter((lane) => lane.kind === "notes");
}

function moveByKeyboard(note, key) {
  const stages = state.stages.map((s) => s.key);
  const lanes = noteLanes().map((l) => l.key);
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
  if (!canWrite) return;
  el.addEventListener("dragover", (event) => {
    if (!event.dataTransfer.types.includes("application/x-resonance-note")) return;
    event.preventDefault();
    el.classList.add("drop-here");
  });
  el.addEventListener("dragleave", () => el.classList.remove("drop-here"));
  el.addEventListener("drop", (event) => {
    event.preventDefault();
    el.classList.remove("drop-here");
    const id = Number(event.dataTransfer.getData("application/x-resonance-note"));
    const others = [...el.querySelectorAll(".note")].filter((card) => Number(card.dataset.noteId) !== id);
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
    h(
      "p",
      { class: "muted" },
      notes.length
        ? "Notes from deleted stages and lanes wait here: drag them back into a cell."
        : "Notes of a deleted stage or lane land here, never lost.",
    ),
  );
  const list = h("div", { class: "parking-notes", role: "group", "aria-label": "Parking lot notes" });
  dropTarget(list, null, null);
  for (const note of notes) list.append(noteCard(note));
  lot.append(list);
  return lot;
}

// --- the curve and the score controls ----------------------------------------------------------

function curveCell(lane, n) {
  const cell = h("div", {
    class: "curve-cell",
    style: { gridColumn: `2 / span ${Math.max(n, 1)}`, height: `${CURVE_HEIGHT}px` },
    "data-lane": lane.key,
  });
  cell.append(curveHolder);
  if (canWrite) {
    const controls = h("div", { class: "curve-controls", style: { gridTemplateColumns: `repeat(${Math.max(n, 1)}, 1fr)` } });
    const personas = visiblePersonas();
    for (const stage of state.stages) {
      const column = h("div", { class: "curve-column", "data-stage": stage.key });
      for (const persona of personas) {
        const key = `${stage.key}|${persona.id}`;
        const score = pendingScores.has(key) ? pendingScores.get(key) : ownScore(state, me, stage.key, persona.id);
        column.append(
          scoreSlider({
            stage,
            persona,
            score,
            height: CURVE_HEIGHT,
            onHold: hold,
            label: `Your score: how ${personaName(persona)} feels at ${stage.title}, from −3 to +3`,
            onChange(value) {
              pendingScores.set(key, value);
              send("emotion.set", { stage: stage.key, persona: persona.id, score: value }).catch(() => {
                pendingScores.delete(key);
                render();
              });
            },
          }),
        );
      }
      controls.append(column);
    }
    cell.append(controls);
  }
  return cell;
}

function curveSignature() {
  return JSON.stringify([state.stages, state.personas, state.emotion_scores, state.journey_settings]);
}

function scheduleCurve() {
  if (!state) return;
  const width = curveHolder.isConnected ? curveHolder.clientWidth : 760;
  curve.schedule({
    width: width || 760,
    height: CURVE_HEIGHT,
    personas: visiblePersonas().map((p) => p.id),
    seq: curveSignature(),
  });
}

// Kept across renders, so that an opened table stays open.
const tableDetails = h(
  "details",
  { class: "curve-table" },
  h("summary", {}, "Emotion curve as a table"),
  h("div", { class: "curve-tables" }),
);

function tablePanel() {
  return tableDetails;
}

function renderTable() {
  const holder = root.querySelector(".curve-tables");
  if (!holder || !state) return;
  if (!numbers) {
    holder.replaceChildren(h("p", { class: "muted" }, "Loading…"));
    return;
  }
  const tables = numbers.curves
    .filter((c) => !hidden.has(c.persona.id))
    .map((c) =>
      h(
        "table",
        { class: "curve-numbers" },
        h("caption", {}, h("span", { class: "swatch", "--persona": c.persona.color }), `${c.persona.name}: how they feel, stage by stage`),
        h(
          "thead",
          {},
          h("tr", {}, ["Stage", "Mean", "Lowest", "Highest", "Spread (SD)", "Scores", "Yours", "Moment of truth"].map((t) => h("th", { scope: "col" }, t))),
        ),
        h(
          "tbody",
          {},
          c.stages.map((p) =>
            h(
              "tr",
              { class: p.moment_of_truth ? "low" : null },
              h("th", { scope: "row" }, p.title),
              h("td", {}, formatMean(p.mean)),
              h("td", {}, p.min == null ? "–" : scoreText(p.min)),
              h("td", {}, p.max == null ? "–" : scoreText(p.max)),
              h("td", {}, p.sd == null ? "–" : p.sd.toFixed(2)),
              h("td", {}, String(p.count)),
              h("td", {}, canWrite ? scoreText(ownScore(state, me, p.stage, c.persona.id)) : "–"),
              h("td", {}, p.moment_of_truth ? "Yes — lowest" : ""),
            ),
          ),
        ),
      ),
    );
  holder.replaceChildren(...(tables.length ? tables : [h("p", { class: "muted" }, "No persona is shown.")]));
}
