// The journey map's Feelings lane: the curves (as-is solid, to-be dashed), drawn
// from the state the page holds by curve-math.js — the same SVG as every export —
// under this participant's own score controls, and the numbers as tables (mean,
// spread, n, the gap to the to-be curve). No request per score.

import { curveSvg, emotionCurve, formatScore, r1 } from "./curve-math.js";
import { scoreSlider, scoreText } from "./curve.js";
import { h } from "./dom.js";

export const CURVE_HEIGHT = 220;

/** This participant's own score at a point, or null. */
export function ownScore(state, me, stage, persona, curve) {
  const found = state.emotion_scores.find(
    (s) => s.stage === stage && s.persona === persona && (s.curve ?? "as-is") === curve && s.participant === me,
  );
  return found ? found.score : null;
}

export function mountFeelings({ sync, me, isFacilitator, canWrite, personaName, hold }) {
  const holder = h("div", { class: "curve-holder" });
  const tables = h("div", { class: "curve-tables" });
  const details = h("details", { class: "curve-table" }, h("summary", {}, "Emotion curves as tables"), tables);
  let drawn = "";

  /** The lane's cell: the curve with the score controls on top. */
  function cell(state, lane, personas, scoring) {
    const n = Math.max(state.stages.length, 1);
    const el = h("div", { class: "curve-cell", style: { gridColumn: `2 / span ${n}`, height: `${CURVE_HEIGHT}px` }, "data-lane": lane.key });
    el.append(holder);
    if (!canWrite()) return el;
    const controls = h("div", { class: "curve-controls", style: { gridTemplateColumns: `repeat(${n}, 1fr)` } });
    for (const stage of state.stages) {
      const column = h("div", { class: "curve-column", "data-stage": stage.key });
      for (const persona of personas) {
        const word = scoring === "to-be" ? "should feel" : "feels";
        column.append(
          scoreSlider({
            stage,
            persona,
            score: ownScore(state, me, stage.key, persona.id, scoring),
            height: CURVE_HEIGHT,
            onHold: hold,
            label: `Your ${scoring} score: how ${personaName(persona)} ${word} at ${stage.title}, from −3 to +3`,
            onChange: (value) => sync.submit("emotion.set", { stage: stage.key, persona: persona.id, curve: scoring, score: value }),
          }),
        );
      }
      controls.append(column);
    }
    el.append(controls);
    return el;
  }

  /** Draws the curves and the tables again only when what they show changed. */
  function draw(state, personas) {
    const width = (holder.isConnected && holder.clientWidth) || 760;
    const ids = personas.map((p) => p.id);
    const key = JSON.stringify([width, ids, state.stages, state.personas, state.emotion_scores, state.journey_settings, isFacilitator()]);
    if (key === drawn) return;
    drawn = key;
    holder.innerHTML = curveSvg(state, ids, { width: Math.max(200, Math.round(width)), height: CURVE_HEIGHT, compact: true, everything: isFacilitator() });
    holder.dataset.seq = String(state.seq);
    renderTables(state, ids);
  }

  function renderTables(state, ids) {
    const text = (v) => (v == null ? "–" : formatScore(v));
    const rows = state.personas
      .filter((p) => ids.includes(p.id))
      .map((p) => emotionCurve(state, p.id, { everything: isFacilitator() }))
      .map((c) =>
        h(
          "table",
          { class: "curve-numbers" },
          h("caption", {}, h("span", { class: "swatch", "--persona": c.persona.color }), `${c.persona.name}: how they feel, stage by stage`),
          h("thead", {}, h("tr", {}, ["Stage", "Mean", "Spread (±1 s.d.)", "Lowest", "Highest", "Scores", "To-be", "Gap", "Yours", "Moment of truth"].map((t) => h("th", { scope: "col" }, t)))),
          h(
            "tbody",
            {},
            c.stages.map((p, i) => {
              const target = c.to_be ? c.to_be[i] : null;
              return h(
                "tr",
                { class: p.moment_of_truth ? "low" : null, "data-stage": p.stage },
                h("th", { scope: "row" }, p.title),
                h("td", {}, p.below_floor && !p.count ? "too few" : text(p.mean)),
                h("td", {}, p.sd == null ? "–" : `±${r1(p.sd).toFixed(1)}`),
                h("td", {}, p.min == null ? "–" : scoreText(p.min)),
                h("td", {}, p.max == null ? "–" : scoreText(p.max)),
                h("td", {}, `${p.count}${p.below_floor && p.count ? " (under the floor)" : ""}`),
                h("td", {}, target && target.count ? text(target.mean) : "–"),
                h("td", {}, p.gap == null ? "–" : text(p.gap)),
                h("td", {}, canWrite() ? scoreText(ownScore(state, me, p.stage, c.persona.id, "as-is")) : "–"),
                h("td", {}, p.moment_of_truth ? "Yes — lowest" : ""),
              );
            }),
          ),
        ),
      );
    tables.replaceChildren(...(rows.length ? rows : [h("p", { class: "muted" }, "No persona is shown.")]));
  }

  return { cell, draw, details };
}
