// The prioritisation board: last time's actions to review, the opportunities
// with their source notes, everyone's impact × value scores as a live 2×2
// matrix with a ranked list, the same as a table (where scores are given, by
// keyboard too), and the actions made from opportunities.
//
// It reads the server's state (sync.state) and changes the board only through
// sync.submit(): the ops of docs/protocol.md §10. Text is always set with
// textContent.

import { registerReducer } from "../js/board-state.js";
import { DECISIONS_REDUCERS, QUADRANT_NAMES, isOverdue, matrixRows } from "./decisions-state.js";

for (const [kind, reduce] of Object.entries(DECISIONS_REDUCERS)) registerReducer(kind, reduce);

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

const SVG = "http://www.w3.org/2000/svg";
function s(tag, attrs = {}, text = null) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== null) el.textContent = text;
  return el;
}

const fmt = (x) => (x === null || x === undefined ? "–" : x.toFixed(1));
const SCORE_CHOICES = [1, 2, 3, 4, 5];
const STATUS_NAMES = { open: "Open", done: "Done", carried: "Carried on" };

const SIZE = 420;
const PAD = 48;
const X = (value) => PAD + ((value - 1) / 4) * (SIZE - 2 * PAD);
const Y = (impact) => SIZE - PAD - ((impact - 1) / 4) * (SIZE - 2 * PAD);

/**
 * The prioritisation board's canvas in the board shell (static/js/board.js KINDS):
 * the shell runs the sync, the connection status, presence and the facilitation bar.
 */
export function mountPrioritisationBoard(root, sync, { me, readOnly = false } = {}) {
  const ui = {
    review: h("section", { class: "decisions-review", "aria-label": "Last time's actions", hidden: true }),
    matrix: h("figure", { class: "prio-matrix", "data-matrix": "" }),
    ranking: h("ol", { class: "prio-ranking", "data-ranking": "" }),
    table: h("div", { class: "prio-table-wrap" }),
    opportunities: h("div", { class: "prio-opportunities" }),
    actions: h("div", { class: "prio-actions" }),
    settings: h("div", { class: "prio-settings" }),
    toast: h("p", { class: "prio-toast", role: "status", "aria-live": "polite" }),
  };
  const sources = new Map(); // board id -> Map(note id -> text), from the source boards' snapshots
  let owners = { participants: [], members: [] };

  function isFacilitator() {
    return (sync.me?.role || me.role) === "facilitator";
  }

  function submit(kind, data) {
    sync.submit(kind, data);
  }

  sync.addEventListener("rejected", (event) => {
    ui.toast.textContent = `Not done: ${event.detail.message}`;
  });

  // --- layout (made once; the parts below are redrawn from the state) ---------------

  function mountLayout() {
    root.querySelector(".board-loading")?.remove();
    const newOpportunity = h(
      "form",
      { class: "prio-new", "data-new-opportunity": "", "aria-label": "New opportunity" },
      h("label", {}, "Opportunity ", h("input", { name: "title", required: true, maxlength: "200", placeholder: "e.g. Text when the bike is ready" })),
      h("label", {}, "Why ", h("input", { name: "description", maxlength: "4000", placeholder: "What it would change for the customer" })),
      h("button", { type: "submit", text: "Add opportunity" }),
    );
    newOpportunity.addEventListener("submit", (event) => {
      event.preventDefault();
      const title = newOpportunity.elements.title.value.trim();
      if (!title) return;
      submit("opportunity.add", { title, description: newOpportunity.elements.description.value.trim() });
      newOpportunity.reset();
    });
    root.append(
      ui.toast,
      ui.review,
      h(
        "section",
        { class: "prio-board", "aria-label": "Prioritisation" },
        h("div", { class: "prio-top" }, ui.matrix, h("div", { class: "prio-side" }, h("h2", { text: "Ranking" }), ui.ranking)),
        h("h2", { text: "Score the opportunities" }),
        h("p", { class: "muted", text: "Customer impact and business value from 1 (low) to 5 (high). Everyone's mean is the big dot; your own score is the ring only you see." }),
        ui.table,
        ui.settings,
      ),
      h("section", { class: "prio-opps", "aria-label": "Opportunities" }, h("h2", { text: "Opportunities" }), readOnly ? null : newOpportunity, ui.opportunities),
      h("section", { class: "prio-acts", "aria-label": "Actions" }, h("h2", { text: "Actions" }), ui.actions),
    );
  }

  // --- the matrix, the ranking, the table ---------------------------------------------

  function drawMatrix(rows) {
    const unit = (SIZE - 2 * PAD) / 4;
    const svg = s("svg", { viewBox: `0 0 ${SIZE} ${SIZE}`, role: "img", "aria-label": "Prioritisation matrix: customer impact against business value. The table below holds the same numbers." });
    svg.append(
      s("rect", { x: PAD, y: PAD, width: SIZE - 2 * PAD, height: SIZE - 2 * PAD, class: "matrix-frame" }),
      s("rect", { x: X(3), y: PAD, width: SIZE - PAD - X(3), height: Y(3) - PAD, class: "matrix-first" }),
      s("line", { x1: X(3), y1: PAD, x2: X(3), y2: SIZE - PAD, class: "matrix-mid" }),
      s("line", { x1: PAD, y1: Y(3), x2: SIZE - PAD, y2: Y(3), class: "matrix-mid" }),
      s("text", { x: SIZE - PAD - 6, y: PAD + 16, "text-anchor": "end", class: "matrix-quadrant" }, "Do first"),
      s("text", { x: PAD + 6, y: PAD + 16, class: "matrix-quadrant" }, "Plan"),
      s("text", { x: SIZE - PAD - 6, y: SIZE - PAD - 8, "text-anchor": "end", class: "matrix-quadrant" }, "Quick wins"),
      s("text", { x: PAD + 6, y: SIZE - PAD - 8, class: "matrix-quadrant" }, "Drop"),
      s("text", { x: SIZE / 2, y: SIZE - 12, "text-anchor": "middle", class: "matrix-axis" }, "Business value →"),
      s("text", { x: 14, y: SIZE / 2, "text-anchor": "middle", transform: `rotate(-90 14 ${SIZE / 2})`, class: "matrix-axis" }, "Customer impact →"),
    );
    for (const row of rows) {
      if (row.mine) {
        const ring = s("circle", { cx: X(row.mine.value), cy: Y(row.mine.impact), r: 7, class: "matrix-mine", "data-mine": String(row.id) });
        ring.append(s("title", {}, `Your score for ${row.title}`));
        svg.append(ring);
      }
      if (row.rank === null) continue;
      const g = s("g", { class: "matrix-point", "data-opportunity": String(row.id) });
      const [cx, cy] = [X(row.value), Y(row.impact)];
      if (row.value_sd || row.impact_sd) g.append(s("ellipse", { cx, cy, rx: row.value_sd * unit, ry: row.impact_sd * unit, class: "matrix-spread" }));
      g.append(s("circle", { cx, cy, r: 11, class: "matrix-mean" }), s("text", { x: cx, y: cy + 4, "text-anchor": "middle", class: "matrix-rank" }, String(row.rank)));
      g.append(s("title", {}, `${row.rank}. ${row.title}: impact ${fmt(row.impact)}, value ${fmt(row.value)}, ${row.n} scores`));
      svg.append(g);
    }
    ui.matrix.replaceChildren(svg);
  }

  function drawRanking(rows, state) {
    const items = rows.map((row) =>
      h(
        "li",
        { "data-opportunity": String(row.id), class: row.rank === null ? "unranked" : null },
        h("span", { class: "rank-title", text: row.title }),
        " ",
        h("span", { class: "rank-meta", text: row.rank === null ? waiting(row, state) : `${QUADRANT_NAMES[row.quadrant]} · ${row.n} scores` }),
      ),
    );
    ui.ranking.replaceChildren(...(items.length ? items : [h("li", { class: "muted", text: "No opportunities yet." })]));
  }

  function waiting(row, state) {
    const p = state.prioritisation;
    if (p.private && row.n) return `${row.n} scored, hidden until the facilitator reveals`;
    if (row.n && row.n < p.floor) return `${row.n} of ${p.floor} scores needed`;
    return "not scored yet";
  }

  // What the viewer chose per opportunity and field, given or not yet (opportunity id -> {impact, value, effort}).
  const drafts = new Map();

  function shown(row, field) {
    const draft = drafts.get(row.id);
    if (draft && field in draft) return draft[field];
    return row.mine?.[field] ?? undefined;
  }

  function scoreSelect(row, field, current) {
    const select = h(
      "select",
      { id: `score-${row.id}-${field}`, "aria-label": `${field === "impact" ? "Customer impact" : field === "value" ? "Business value" : "Effort"} of ${row.title}`, disabled: readOnly },
      h("option", { value: "", text: "–" }),
      ...SCORE_CHOICES.map((n) => h("option", { value: String(n), text: String(n), selected: current === n })),
    );
    select.addEventListener("change", () => {
      // A half-given score (impact but no value yet) is kept as a draft, so the
      // table redrawn by someone else's op does not throw it away.
      const draft = { ...(drafts.get(row.id) || {}), [field]: Number(select.value) || undefined };
      drafts.set(row.id, draft);
      const data = { opportunity: row.id, impact: draft.impact, value: draft.value };
      if (draft.effort) data.effort = draft.effort;
      if (data.impact && data.value) submit("opportunity.score", data);
    });
    select.dataset.field = field;
    return select;
  }

  function drawTable(rows, state) {
    const effort = state.prioritisation.effort;
    const head = h(
      "tr",
      {},
      ...["Rank", "Opportunity", "Your impact", "Your value", ...(effort ? ["Your effort"] : []), "Scores", "Mean impact", "Mean value", ...(effort ? ["Mean effort"] : []), "Quadrant", ""].map((t) => h("th", { scope: "col", text: t })),
    );
    const body = rows.map((row) =>
      h(
        "tr",
        { "data-opportunity": String(row.id) },
        h("td", { text: row.rank === null ? "–" : String(row.rank) }),
        h("th", { scope: "row", text: row.title }),
        h("td", {}, scoreSelect(row, "impact", shown(row, "impact"))),
        h("td", {}, scoreSelect(row, "value", shown(row, "value"))),
        effort ? h("td", {}, scoreSelect(row, "effort", shown(row, "effort"))) : null,
        h("td", { text: String(row.n) }),
        h("td", { text: row.rank === null ? waiting(row, state) : `${fmt(row.impact)} ± ${fmt(row.impact_sd)}` }),
        h("td", { text: row.rank === null ? "" : `${fmt(row.value)} ± ${fmt(row.value_sd)}` }),
        effort ? h("td", { text: fmt(row.effort) }) : null,
        h("td", { text: row.quadrant ? QUADRANT_NAMES[row.quadrant] : "–" }),
        h("td", {}, row.mine && !readOnly ? h("button", { type: "button", class: "button-quiet", id: `unscore-${row.id}`, text: "Clear mine", onclick: () => (drafts.delete(row.id), submit("opportunity.unscore", { opportunity: row.id })) }) : null),
      ),
    );
    ui.table.replaceChildren(
      h("table", { class: "prio-table", "data-score-table": "" }, h("caption", { text: "The matrix as a table: your scores, everyone's means (± spread) and the quadrant" }), h("thead", {}, head), h("tbody", {}, ...body)),
    );
  }

  function drawSettings(state) {
    if (!isFacilitator()) return ui.settings.replaceChildren();
    const p = state.prioritisation;
    const change = (data) => submit("prioritisation.settings", data);
    ui.settings.replaceChildren(
      h(
        "fieldset",
        { class: "prio-settings-box" },
        h("legend", { text: "Scoring (facilitator)" }),
        h("label", {}, h("input", { type: "checkbox", id: "prio-effort", checked: p.effort, onchange: (e) => change({ effort: e.target.checked }) }), " Ask for effort too"),
        h("label", {}, h("input", { type: "checkbox", id: "prio-private", checked: p.private, onchange: (e) => change({ private: e.target.checked }) }), " Private scoring (each person sees only their own until revealed)"),
        h("label", {}, "Show the room's scores from ", h("input", { type: "number", id: "prio-floor", min: "1", max: "50", value: String(p.floor), onchange: (e) => change({ floor: Number(e.target.value) }) }), " people on"),
      ),
    );
  }

  // --- opportunities, actions, review ------------------------------------------------------

  function sourceText(source) {
    const text = sources.get(source.board)?.get(source.note);
    return text === undefined ? "(a note that is gone or not visible to you)" : text;
  }

  async function loadSources(state) {
    const wanted = new Set(state.opportunities.flatMap((o) => o.sources.map((src) => src.board)));
    let changed = false;
    for (const boardId of wanted) {
      if (sources.has(boardId)) continue;
      sources.set(boardId, new Map());
      try {
        const response = await fetch(`/api/v1/boards/${boardId}/`, { credentials: "same-origin" });
        if (response.ok) {
          const board = await response.json();
          sources.set(boardId, new Map(board.notes.map((n) => [n.id, n.text])));
          changed = true;
        }
      } catch {
        /* offline: the notes show as not visible until the next load */
      }
    }
    if (changed) render();
  }

  function drawOpportunities(state) {
    const items = state.opportunities.map((o) =>
      h(
        "article",
        { class: "prio-opportunity", "data-opportunity": String(o.id) },
        h("h3", { text: o.title }),
        o.description ? h("p", { text: o.description }) : null,
        o.sources.length
          ? h("ul", { class: "prio-sources", "aria-label": "From these notes" }, ...o.sources.map((src) => h("li", { text: sourceText(src) })))
          : h("p", { class: "muted", text: "No source notes: link some from the boards." }),
        readOnly ? null : h("button", { type: "button", class: "button-quiet", text: "Delete", onclick: () => submit("opportunity.delete", { id: o.id }) }),
      ),
    );
    ui.opportunities.replaceChildren(...(items.length ? items : [h("p", { class: "muted", text: "No opportunities yet. Add one above, or turn notes into one on the other boards." })]));
  }

  function ownerOptions() {
    return [
      ...owners.participants.map((p) => h("option", { value: `participant:${p.participant}`, text: p.name })),
      ...owners.members.map((m) => h("option", { value: `user:${m.user}`, text: `${m.name} (team)` })),
    ];
  }

  function drawActions(state, rows) {
    const list = state.actions.map((a) =>
      h(
        "li",
        { class: `prio-action action-${a.status}${isOverdue(a) ? " action-overdue" : ""}`, "data-action": String(a.id) },
        h("strong", { text: a.title }),
        ` · ${a.owner.name}`,
        a.due ? ` · due ${a.due}` : " · no due date",
        isOverdue(a) ? h("span", { class: "overdue", text: " overdue" }) : null,
        " ",
        h(
          "select",
          { id: `action-status-${a.id}`, "aria-label": `Status of ${a.title}`, disabled: readOnly, onchange: (e) => submit("action.update", { id: a.id, status: e.target.value }) },
          ...Object.entries(STATUS_NAMES).map(([value, text]) => h("option", { value, text, selected: a.status === value })),
        ),
      ),
    );
    const form = readOnly
      ? null
      : h(
          "form",
          { class: "prio-action-form", "data-new-action": "", "aria-label": "New action" },
          h("label", {}, "Opportunity ", h("select", { name: "opportunity", required: true }, ...rows.map((r) => h("option", { value: String(r.id), text: r.rank ? `${r.rank}. ${r.title}` : r.title })))),
          h("label", {}, "Owner ", h("select", { name: "owner", required: true }, ...ownerOptions())),
          h("label", {}, "Due ", h("input", { type: "date", name: "due" })),
          h("button", { type: "submit", text: "Make it an action" }),
        );
    form?.addEventListener("submit", (event) => {
      event.preventDefault();
      const [kind, id] = form.elements.owner.value.split(":");
      if (!id) return;
      submit("action.add", { opportunity: Number(form.elements.opportunity.value), owner: { [kind]: Number(id) }, due: form.elements.due.value || null });
    });
    const keep = ui.actions.querySelector("[data-new-action]");
    const sameChoices = keep && keep.dataset.choices === JSON.stringify([rows.map((r) => [r.id, r.rank]), owners]);
    if (form) form.dataset.choices = JSON.stringify([rows.map((r) => [r.id, r.rank]), owners]);
    ui.actions.replaceChildren(
      h("ul", { class: "prio-action-list" }, ...(list.length ? list : [h("li", { class: "muted", text: "No actions yet." })])),
      // The form keeps what someone is typing unless its choices changed.
      sameChoices ? keep : form || h("span"),
    );
  }

  function drawReview(state) {
    const review = state.action_review || [];
    ui.review.hidden = review.length === 0;
    if (!review.length) return;
    ui.review.replaceChildren(
      h("h2", { text: "Last time's actions" }),
      h("p", { class: "muted", text: "Open actions from the team's earlier workshops. Mark each done, or carry it on to the next time." }),
      h(
        "ul",
        { class: "review-list" },
        ...review.map((r) =>
          h(
            "li",
            { "data-review": String(r.id), class: r.outcome ? `review-${r.outcome}` : null },
            h("strong", { text: r.title }),
            ` · ${r.owner}${r.due ? ` · due ${r.due}` : ""} · from “${r.from_workshop}”`,
            r.due && !r.outcome && r.due < new Date().toISOString().slice(0, 10) ? h("span", { class: "overdue", text: " overdue" }) : null,
            " ",
            ...(readOnly
              ? [h("span", { text: r.outcome ? STATUS_NAMES[r.outcome] : "Not reviewed yet" })]
              : ["done", "carried"].map((outcome) =>
                  h("button", {
                    type: "button",
                    id: `review-${r.id}-${outcome}`,
                    "aria-pressed": String(r.outcome === outcome),
                    text: outcome === "done" ? "Done" : "Carry on",
                    onclick: () => submit("review.mark", { id: r.id, outcome: r.outcome === outcome ? null : outcome }),
                  }),
                )),
          ),
        ),
      ),
    );
  }

  // --- drawing ---------------------------------------------------------------------------

  function render() {
    const state = sync.state;
    if (!state || !state.prioritisation) return;
    if (!ui.matrix.isConnected) mountLayout();
    const focused = document.activeElement?.id;
    const role = sync.me?.role || me.role;
    const rows = matrixRows(state, me.id, role === "facilitator" || role === "observer");
    drawMatrix(rows);
    drawRanking(rows, state);
    drawTable(rows, state);
    drawSettings(state);
    drawOpportunities(state);
    drawActions(state, rows);
    drawReview(state);
    // Redrawn controls keep the keyboard where it was.
    if (focused && document.activeElement?.id !== focused) document.getElementById(focused)?.focus();
    loadSources(state);
  }

  async function loadOwners() {
    try {
      const response = await fetch(`/api/v1/workshops/${sync.state.workshop}/owners/`, { credentials: "same-origin" });
      if (response.ok) owners = await response.json();
    } catch {
      /* offline: the owner list fills in on the next load */
    }
    render();
  }

  let ownersLoaded = false;
  sync.addEventListener("change", () => {
    render();
    if (sync.state && !ownersLoaded) {
      ownersLoaded = true;
      loadOwners();
    }
  });
  sync.addEventListener("status", render);
  // Someone new on the board may be someone to own an action: ask again (at most every few seconds).
  let ownersTimer = null;
  sync.addEventListener("presence", () => {
    if (ownersTimer || !sync.state) return;
    ownersTimer = setTimeout(() => {
      ownersTimer = null;
      loadOwners();
    }, 1_000);
  });
  return { render };
}
