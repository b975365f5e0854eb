// The decisions part of a board's state: the reducers of its ops and the matrix numbers.
//
// Pure and free of imports, so Node replays it from disk (tests/decisions/
// test_js_reducer_parity.py) and pages register it into board-state.js with
// registerReducer. The twin of decisions/ops.py (reducers) and decisions/matrix.py
// (matrixRows, quadrant, ranking: docs/decisions.md, "The matrix").

const byId = (list, id) => list.find((item) => item.id === id);

function replaceScores(state, data) {
  const p = state.prioritisation;
  for (const key of ["effort", "floor", "private"]) p[key] = data[key];
  const rest = p.scores.filter((s) => s.opportunity !== data.opportunity);
  // Stable sort by opportunity: within one, the server's order (by participant).
  p.scores = [...rest, ...data.scores.map((s) => ({ ...s }))].sort((a, b) => a.opportunity - b.opportunity);
  if (data.count) p.counts[String(data.opportunity)] = data.count;
  else delete p.counts[String(data.opportunity)];
}

export const DECISIONS_REDUCERS = {
  "opportunity.add"(state, data) {
    state.opportunities.push(structuredClone(data.opportunity));
  },
  "opportunity.update"(state, data) {
    const o = byId(state.opportunities, data.id);
    if (o) for (const [k, v] of Object.entries(data)) if (k !== "id") o[k] = v;
  },
  "opportunity.delete"(state, data) {
    state.opportunities = state.opportunities.filter((o) => o.id !== data.id);
    if (state.prioritisation) {
      const p = state.prioritisation;
      p.scores = p.scores.filter((s) => s.opportunity !== data.id);
      delete p.counts[String(data.id)];
    }
  },
  "opportunity.link"(state, data) {
    byId(state.opportunities, data.id)?.sources.push({ note: data.note, board: data.board });
  },
  "opportunity.unlink"(state, data) {
    const o = byId(state.opportunities, data.id);
    if (o) o.sources = o.sources.filter((s) => s.note !== data.note);
  },
  "opportunity.score": replaceScores,
  "opportunity.unscore": replaceScores,
  "prioritisation.settings"(state, data) {
    state.prioritisation = {
      effort: data.effort,
      floor: data.floor,
      private: data.private,
      scores: data.scores.map((s) => ({ ...s })),
      counts: { ...data.counts },
    };
  },
  "action.add"(state, data) {
    state.actions.push(structuredClone(data.action));
  },
  "action.update"(state, data) {
    const a = byId(state.actions, data.id);
    if (a) for (const [k, v] of Object.entries(data)) if (k !== "id") a[k] = v;
  },
  "action.delete"(state, data) {
    state.actions = state.actions.filter((a) => a.id !== data.id);
  },
  "review.mark"(state, data) {
    const r = byId(state.action_review, data.id);
    if (r) r.outcome = data.outcome;
  },
};

// --- the matrix -----------------------------------------------------------------

export const HIGH_FROM = 3;
export const QUADRANT_NAMES = { "do first": "Do first", plan: "Plan", "quick wins": "Quick wins", drop: "Drop" };

export function quadrant(impact, value) {
  if (impact >= HIGH_FROM) return value >= HIGH_FROM ? "do first" : "plan";
  return value >= HIGH_FROM ? "quick wins" : "drop";
}

function stats(values) {
  if (!values.length) return [null, null];
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return [mean, Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length)];
}

/**
 * One row per opportunity, ranked (decisions/matrix.py matrix_rows); `mine` is the viewer's own score.
 * `seesAll`: a facilitator or observer; for others no mean shows below the floor or while scoring is private.
 */
export function matrixRows(state, meId = null, seesAll = true) {
  const p = state.prioritisation || { scores: [], counts: {} };
  const rows = (state.opportunities || []).map((o) => {
    const scores = p.scores.filter((s) => s.opportunity === o.id);
    const n = p.counts[String(o.id)] || 0;
    const [impact, impactSd] = stats(scores.map((s) => s.impact));
    const [value, valueSd] = stats(scores.map((s) => s.value));
    const [effort] = stats(scores.filter((s) => s.effort !== null && s.effort !== undefined).map((s) => s.effort));
    const complete = scores.length > 0 && scores.length >= n && (seesAll || (!p.private && n >= (p.floor ?? 1)));
    return {
      id: o.id,
      title: o.title,
      n,
      impact: complete ? impact : null,
      value: complete ? value : null,
      impact_sd: complete ? impactSd : null,
      value_sd: complete ? valueSd : null,
      effort: complete ? effort : null,
      quadrant: complete ? quadrant(impact, value) : null,
      rank: null,
      mine: scores.find((s) => meId !== null && s.participant === meId) || null,
    };
  });
  const ranked = rows
    .filter((r) => r.impact !== null)
    .sort((a, b) => b.impact * b.value - a.impact * a.value || (a.effort ?? 0) - (b.effort ?? 0) || b.n - a.n || a.id - b.id);
  ranked.forEach((row, i) => (row.rank = i + 1));
  return [...ranked, ...rows.filter((r) => r.impact === null)];
}

/** Opportunities linked to a note: the marker on the source board. */
export function opportunitiesOfNote(state, noteId) {
  return (state.opportunities || []).filter((o) => o.sources.some((s) => s.note === noteId));
}

/** Due dates are calendar days; an open action whose day has passed is overdue. */
export function isOverdue(action, today = new Date().toISOString().slice(0, 10)) {
  return Boolean(action.due) && action.status !== "done" && action.due < today;
}
