// The decisions part of an empathy map's page: opportunities made from its notes
// (a small marker on each linked note), sentiment hints, and suggested groups
// the facilitator accepts, edits or dismisses.
//
// Mounted beside static/js/board.js and reading its sync (window.__resonance):
// the board's notes are drawn there, this only decorates them and adds a panel.
// Changes go through sync.submit() (ops) or, for suggestions, the REST endpoints
// of docs/protocol.md §10; analysis runs on the server, nothing leaves it.

import { registerReducer } from "../js/board-state.js";
import { DECISIONS_REDUCERS, opportunitiesOfNote } from "./decisions-state.js";

for (const [kind, reduce] of Object.entries(DECISIONS_REDUCERS)) registerReducer(kind, reduce);

const SENTIMENT_EVERY_MS = 3_000;

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

const root = document.getElementById("board-app");
const sync = window.__resonance?.sync;
const boardId = Number(root.dataset.boardId);
const readOnly = root.dataset.participantRole === "observer";
const isFacilitator = () => (sync?.me?.role || root.dataset.participantRole) === "facilitator";
let negative = new Set();
let showSentiment = true;

function csrfToken() {
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.split("=")[1]) : document.querySelector("[name=csrfmiddlewaretoken]")?.value || "";
}

async function api(path, body = null) {
  const response = await fetch(path, {
    method: body ? "POST" : "GET",
    credentials: "same-origin",
    headers: body ? { "Content-Type": "application/json", "X-CSRFToken": csrfToken() } : {},
    body: body ? JSON.stringify(body) : null,
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(data.message || response.statusText), { code: data.code });
  return data;
}

// --- the panel ----------------------------------------------------------------------

const ui = {
  list: h("ul", { class: "decisions-opportunities" }),
  notes: h("select", { multiple: true, name: "notes", "aria-label": "Source notes (choose one or more)" }),
  suggestions: h("div", { class: "suggestions", "aria-live": "polite" }),
  message: h("p", { class: "muted", role: "status" }),
};

function mountPanel() {
  const form = h(
    "form",
    { class: "prio-new", "data-opportunity-from-notes": "" },
    h("label", {}, "Opportunity ", h("input", { name: "title", required: true, maxlength: "200" })),
    h("label", {}, "Why ", h("input", { name: "description", maxlength: "4000" })),
    h("label", {}, "From notes ", ui.notes),
    h("button", { type: "submit", text: "Turn into an opportunity" }),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const notes = [...ui.notes.selectedOptions].map((o) => Number(o.value));
    sync.submit("opportunity.add", { title: form.elements.title.value.trim(), description: form.elements.description.value.trim(), notes });
    form.reset();
  });
  const sentimentToggle = h("label", {}, h("input", { type: "checkbox", checked: true, onchange: (e) => ((showSentiment = e.target.checked), decorate()) }), " Mark notes that read negative (a hint from the VADER lexicon; English only)");
  const suggest = h("button", { type: "button", "data-suggest": "", text: "Suggest groups", onclick: askForSuggestions });
  const addMatrix = h("button", { type: "button", "data-add-prioritisation": "", text: "Add a prioritisation board", onclick: addPrioritisationBoard });
  const panel = h(
    "details",
    { class: "decisions-panel", open: true },
    h("summary", { text: "Opportunities and analysis" }),
    ui.message,
    ui.list,
    readOnly ? null : form,
    h("p", {}, sentimentToggle),
    h("div", { class: "facilitator-only", "data-suggestions": "" }, h("p", { class: "muted", text: "Suggested groups are computed on this server from the notes' words (English only); nothing changes until you accept." }), suggest, " ", addMatrix, ui.suggestions),
  );
  root.append(panel);
}

function noteLabel(note) {
  return (note.text || "(empty note)").slice(0, 80);
}

function renderPanel() {
  const state = sync.state;
  if (!state?.opportunities) return;
  const notes = state.notes.filter((n) => !n.private && n.text);
  const chosen = new Set([...ui.notes.selectedOptions].map((o) => o.value));
  ui.notes.replaceChildren(...notes.map((n) => h("option", { value: String(n.id), text: noteLabel(n), selected: chosen.has(String(n.id)) })));
  const byId = new Map(state.notes.map((n) => [n.id, n]));
  ui.list.replaceChildren(
    ...state.opportunities.map((o) => {
      const here = o.sources.filter((s) => s.board === boardId);
      const link = h("select", { "aria-label": `Link a note to ${o.title}` }, h("option", { value: "", text: "Link a note…" }), ...notes.filter((n) => !here.some((s) => s.note === n.id)).map((n) => h("option", { value: String(n.id), text: noteLabel(n) })));
      link.addEventListener("change", () => link.value && sync.submit("opportunity.link", { id: o.id, note: Number(link.value) }));
      return h(
        "li",
        { "data-opportunity": String(o.id) },
        h("strong", { text: o.title }),
        ` · ${o.sources.length} source note${o.sources.length === 1 ? "" : "s"}`,
        h("ul", {}, ...here.map((s) => h("li", {}, byId.get(s.note)?.text || "(deleted note)", readOnly ? null : h("button", { type: "button", class: "button-quiet", text: "Unlink", onclick: () => sync.submit("opportunity.unlink", { id: o.id, note: s.note }) })))),
        readOnly ? null : link,
      );
    }),
  );
  root.querySelector("[data-suggestions]").hidden = !isFacilitator();
}

// --- markers on the notes -------------------------------------------------------------

// The board draws a note under "n:<id>", or "c:<client_op_id>" when this tab added it.
function noteIdOf(key) {
  if (key.startsWith("n:")) return Number(key.slice(2));
  const id = sync.ids?.[key.slice(2)];
  return id === undefined ? undefined : Number(id);
}

function decorate() {
  const state = sync.state;
  if (!state?.opportunities) return;
  for (const el of root.querySelectorAll(".note[data-key]")) {
    const id = noteIdOf(el.dataset.key);
    if (id === undefined) continue;
    const linked = opportunitiesOfNote(state, id);
    const host = el.querySelector(".note-foot") || el;
    let marker = el.querySelector(".opportunity-marker");
    const text = linked.length ? `◆ ${linked.length}` : "";
    if (text && (!marker || marker.textContent !== text)) {
      marker?.remove();
      marker = h("span", { class: "opportunity-marker", title: `Feeds: ${linked.map((o) => o.title).join("; ")}`, "aria-label": `Feeds ${linked.length} opportunit${linked.length === 1 ? "y" : "ies"}: ${linked.map((o) => o.title).join("; ")}`, text });
      host.append(marker);
    } else if (!text && marker) marker.remove();
    const hint = el.querySelector(".sentiment-marker");
    const wanted = showSentiment && negative.has(id);
    if (wanted && !hint) host.append(h("span", { class: "sentiment-marker sentiment-negative", title: "Reads negative (VADER hint, English only)", "aria-label": "Reads negative" }));
    else if (!wanted && hint) hint.remove();
  }
}

let scheduled = false;
function scheduleDecorate() {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    decorate();
  });
}

let sentimentTimer = null;
let lastSentimentSeq = -1;
function refreshSentiment() {
  // Hints wait for a live connection: offline or reconnecting, the page has
  // better things to do than ask the server about notes.
  if (sentimentTimer || !sync.state || sync.state.seq === lastSentimentSeq || sync.status !== "live") return;
  sentimentTimer = setTimeout(async () => {
    sentimentTimer = null;
    lastSentimentSeq = sync.state.seq;
    try {
      const hints = await api(`/api/v1/boards/${boardId}/sentiment/`);
      negative = new Set(hints.notes.filter((n) => n.label === "negative").map((n) => n.id));
      scheduleDecorate();
    } catch {
      /* a hint can wait for the next change */
    }
  }, SENTIMENT_EVERY_MS);
}

// --- suggested groups --------------------------------------------------------------------

async function askForSuggestions() {
  ui.suggestions.replaceChildren(h("p", { text: "Looking for similar notes…" }));
  try {
    const body = await api(`/api/v1/boards/${boardId}/suggestions/clusters/`, {});
    showSuggestions(body);
  } catch (error) {
    ui.suggestions.replaceChildren(h("p", { text: `No suggestions: ${error.message}` }));
  }
}

function showSuggestions(body) {
  if (!body.groups.length) {
    ui.suggestions.replaceChildren(h("p", { text: "No similar notes to suggest grouping." }));
    return;
  }
  const cards = body.groups.map((group, i) =>
    h(
      "fieldset",
      { class: "suggestion", "data-suggestion": String(i) },
      h("legend", {}, h("label", {}, "Group title ", h("input", { name: "title", value: group.title, maxlength: "120" }))),
      ...group.note_ids.map((id, j) => h("label", { class: "suggestion-note" }, h("input", { type: "checkbox", value: String(id), checked: true }), ` ${group.texts[j]}`, h("br"))),
      h("button", { type: "button", text: "Accept", onclick: () => accept(body.suggestion, [cards[i]]) }),
      h("button", { type: "button", class: "button-quiet", text: "Dismiss", onclick: () => cards[i].remove() }),
    ),
  );
  const all = h("button", { type: "button", text: "Accept all", onclick: () => accept(body.suggestion, cards.filter((c) => c.isConnected)) });
  ui.suggestions.replaceChildren(...cards, all);
}

function groupOf(card) {
  const note_ids = [...card.querySelectorAll("input[type=checkbox]:checked")].map((c) => Number(c.value));
  return { title: card.querySelector("input[name=title]").value.trim(), note_ids };
}

async function accept(suggestion, cards) {
  const groups = cards.map(groupOf).filter((g) => g.note_ids.length);
  if (!groups.length) return;
  try {
    await api(`/api/v1/boards/${boardId}/suggestions/clusters/accept/`, { suggestion, groups });
    cards.forEach((c) => c.remove());
    ui.message.textContent = `${groups.length} group${groups.length === 1 ? "" : "s"} made from suggestions.`;
  } catch (error) {
    ui.message.textContent = error.code === "stale" ? `${error.message}` : `Not accepted: ${error.message}`;
  }
}

async function addPrioritisationBoard() {
  try {
    const board = await api(`/api/v1/workshops/${sync.state.workshop}/boards/`, { kind: "prioritisation" });
    location.assign(`/b/${board.id}/`);
  } catch (error) {
    ui.message.textContent = `No board added: ${error.message}`;
  }
}

// --- wiring ----------------------------------------------------------------------------

if (sync) {
  mountPanel();
  // The panel follows the server's state only (not the outbox), so it is redrawn
  // when an op arrives, not at every keystroke or reconnect attempt.
  let drawnSeq = -1;
  sync.addEventListener("change", () => {
    if (sync.state && sync.state.seq !== drawnSeq) {
      drawnSeq = sync.state.seq;
      renderPanel();
    }
    scheduleDecorate();
    refreshSentiment();
  });
  sync.addEventListener("status", refreshSentiment);
  new MutationObserver(scheduleDecorate).observe(root, { childList: true, subtree: true });
}
