// The emotion curves from the state the page holds: boards/curve.py's twin, line by
// line (same numbers, same layout, the same SVG string), so that the page, the SVG
// and PNG downloads, the summary and the PDF draw one curve. Pure: no DOM.
// tests/journey/test_curve_js_parity.py compares both on many boards.

export const MIN = -3;
export const MAX = 3;
export const LABEL_GAP = 12;

/** Half up to one decimal: the same float as Python's r1. */
export const r1 = (value) => Math.floor(value * 10 + 0.5) / 10;

export function num(value) {
  let text = r1(value).toFixed(1);
  if (text.endsWith(".0")) text = text.slice(0, -2);
  return text === "-0" ? "0" : text;
}

export function formatScore(value) {
  const v = r1(value);
  if (Math.abs(v) < 0.05) return "0.0";
  return v > 0 ? `+${v.toFixed(1)}` : `\u2212${(-v).toFixed(1)}`;
}

const chars = (text, n) => Array.from(text).slice(0, n).join("");
const escape = (text) => String(text).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

function quoteattr(text) {
  let value = escape(text).replaceAll("\n", "&#10;").replaceAll("\r", "&#13;").replaceAll("\t", "&#9;");
  if (value.includes('"')) {
    if (value.includes("'")) value = `"${value.replaceAll('"', "&quot;")}"`;
    else value = `'${value}'`;
  } else value = `"${value}"`;
  return value;
}

export function personaLabel(snapshot, persona) {
  return persona.name || `Persona ${snapshot.personas.indexOf(persona) + 1}`;
}

export function respondentFloor(snapshot) {
  return snapshot.journey_settings?.respondent_floor ?? 1;
}

function stats(scores) {
  if (!scores.length) return { mean: null, sd: null, min: null, max: null, low: null, high: null };
  let sum = 0;
  for (const x of scores) sum += x;
  const mean = sum / scores.length;
  let squares = 0;
  for (const x of scores) squares += (x - mean) * (x - mean);
  const sd = Math.sqrt(squares / scores.length);
  return {
    mean,
    sd,
    min: Math.min(...scores),
    max: Math.max(...scores),
    low: Math.max(MIN, mean - sd),
    high: Math.min(MAX, mean + sd),
  };
}

function points(snapshot, personaId, curve, everything) {
  const floor = respondentFloor(snapshot);
  const byStage = new Map();
  for (const s of snapshot.emotion_scores || []) {
    if (s.persona === personaId && (s.curve ?? "as-is") === curve) {
      if (!byStage.has(s.stage)) byStage.set(s.stage, []);
      byStage.get(s.stage).push(s.score);
    }
  }
  return (snapshot.stages || []).map((stage) => {
    let scores = byStage.get(stage.key) || [];
    const below = scores.length > 0 && scores.length < floor;
    if (below && !everything) scores = [];
    return { stage: stage.key, title: stage.title, count: scores.length, ...stats(scores), below_floor: below };
  });
}

/** One persona's curves: as-is points (`stages`), to-be points, gaps, moments of truth. */
export function emotionCurve(snapshot, personaId, { everything = false } = {}) {
  const persona = snapshot.personas.find((p) => p.id === personaId);
  if (!persona) throw new Error(`no persona ${personaId} on this board`);
  const stages = points(snapshot, personaId, "as-is", everything);
  const toBe = points(snapshot, personaId, "to-be", everything);
  const shown = stages.filter((p) => p.count).map((p) => p.mean);
  const lowest = shown.length ? Math.min(...shown) : null;
  stages.forEach((point, i) => {
    point.moment_of_truth = Boolean(point.count) && point.mean === lowest;
    point.gap = point.count && toBe[i].count ? toBe[i].mean - point.mean : null;
  });
  return {
    persona: { id: persona.id, name: personaLabel(snapshot, persona), color: persona.color },
    stages,
    to_be: toBe.some((p) => p.count) ? toBe : null,
    moments_of_truth: stages.filter((p) => p.moment_of_truth).map((p) => p.stage),
    respondent_floor: respondentFloor(snapshot),
  };
}

const scoresText = (p) => `${p.count} score${p.count !== 1 ? "s" : ""}`;

export function describe(curve) {
  const parts = curve.stages.map((p, i) => {
    let text;
    if (p.count) text = `${p.title} ${formatScore(p.mean)} (${scoresText(p)}, \u00b1${r1(p.sd).toFixed(1)} s.d.)`;
    else if (p.below_floor) text = `${p.title} too few scores to show`;
    else text = `${p.title} no scores`;
    const target = curve.to_be ? curve.to_be[i] : null;
    if (target && target.count) text += `, to-be ${formatScore(target.mean)}`;
    return text;
  });
  let text = `${curve.persona.name}: ${parts.join("; ")}.`;
  const lows = curve.stages.filter((p) => p.moment_of_truth);
  if (lows.length) text += ` Moment of truth: ${lows.map((p) => `${p.title} (${formatScore(p.mean)})`).join(", ")}.`;
  return text;
}

export function spreadLabels(wanted, top, bottom) {
  const order = wanted.map((_, i) => i).sort((a, b) => wanted[a] - wanted[b] || a - b);
  const placed = new Array(wanted.length).fill(0);
  let last = null;
  for (const i of order) {
    const y = last === null ? Math.max(wanted[i], top) : Math.max(wanted[i], last + LABEL_GAP, top);
    placed[i] = y;
    last = y;
  }
  let below = null;
  for (const i of [...order].reverse()) {
    const y = below === null ? Math.min(placed[i], bottom) : Math.min(placed[i], below - LABEL_GAP, bottom);
    placed[i] = y;
    below = y;
  }
  return placed;
}

function runsOf(pts) {
  const runs = [];
  let run = [];
  pts.forEach((p, i) => {
    if (p.count) run.push(i);
    else if (run.length) {
      runs.push(run);
      run = [];
    }
  });
  if (run.length) runs.push(run);
  return runs;
}

export function curveLayout(snapshot, personaIds = null, { width = 760, height = 320, compact = false, everything = false } = {}) {
  const personas = snapshot.personas.filter((p) => personaIds === null || personaIds.includes(p.id));
  const curves = personas.map((p) => emotionCurve(snapshot, p.id, { everything }));
  const stages = snapshot.stages || [];
  const n = Math.max(stages.length, 1);
  const [left, right] = compact ? [0, 0] : [48, 16];
  const top = compact ? 14 : 40;
  const bottom = compact ? 14 : 44;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const col = plotW / n;
  const x = (i) => left + (i + 0.5) * col;
  const y = (score) => top + ((MAX - score) / (MAX - MIN)) * plotH;
  const series = [];
  const labelsByStage = stages.map(() => []);
  for (const curve of curves) {
    for (const [kind, pts] of [["as-is", curve.stages], ["to-be", curve.to_be]]) {
      if (pts === null) continue;
      const runs = runsOf(pts);
      const dots = [];
      pts.forEach((p, i) => {
        if (!p.count) return;
        const mark = p.moment_of_truth ? "\u2605 " : "";
        const star = p.below_floor ? "*" : "";
        dots.push({ i, x: x(i), y: y(p.mean), p });
        labelsByStage[i].push({ x: x(i), want: y(p.mean) - 9, text: `${mark}${formatScore(p.mean)} n=${p.count}${star}`, color: curve.persona.color });
      });
      series.push({
        persona: curve.persona,
        curve: kind,
        bands: runs.map((r) => r.map((i) => [x(i), y(pts[i].high), y(pts[i].low)])),
        lines: runs.filter((r) => r.length > 1).map((r) => r.map((i) => [x(i), y(pts[i].mean)])),
        dots,
      });
    }
  }
  for (const column of labelsByStage) {
    const placed = spreadLabels(column.map((l) => l.want), top + 9, top + plotH);
    column.forEach((label, k) => {
      label.y = placed[k];
    });
  }
  return { width, height, left, right, top, plotW, plotH, compact, stages, curves, series, labels: labelsByStage.flat(), x, y };
}

export function curveSvg(snapshot, personaIds = null, { width = 760, height = 320, compact = false, idPrefix = "curve", everything = false } = {}) {
  const lay = curveLayout(snapshot, personaIds, { width, height, compact, everything });
  const { x, y, left, right, curves } = lay;
  const names = curves.map((c) => c.persona.name).join(", ") || "no persona";
  const desc = curves.map(describe).join(" ") || "No persona is shown.";
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" ` +
      `height="${height}" role="img" aria-labelledby="${idPrefix}-title ${idPrefix}-desc" ` +
      `font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" class="emotion-curve">`,
    `<title id="${idPrefix}-title">${escape(`Emotion curve: ${names}`)}</title>`,
    `<desc id="${idPrefix}-desc">${escape(desc)}</desc>`,
    '<g class="scale" aria-hidden="true">',
  ];
  for (let score = MIN; score <= MAX; score++) {
    const stroke = score === 0 ? 'stroke="#9ca3af" stroke-dasharray="4 3"' : 'stroke="#e5e7eb"';
    out.push(`<line x1="${left}" x2="${width - right}" y1="${num(y(score))}" y2="${num(y(score))}" ${stroke}/>`);
    const label = score ? (score > 0 ? `+${score}` : `\u2212${-score}`) : "0";
    if (compact) out.push(`<text x="4" y="${num(y(score) - 3)}" font-size="10" fill="#6b7280">${label}</text>`);
    else out.push(`<text x="${left - 8}" y="${num(y(score) + 4)}" font-size="12" fill="#5b5e6b" text-anchor="end">${label}</text>`);
  }
  if (!compact) {
    lay.stages.forEach((stage, i) => {
      out.push(`<text x="${num(x(i))}" y="${height - 22}" font-size="12" fill="#1c1d22" text-anchor="middle">${escape(chars(stage.title, 24))}</text>`);
    });
  }
  out.push("</g>");
  for (const s of lay.series) {
    const color = quoteattr(s.persona.color);
    const dashed = s.curve === "to-be" ? ' stroke-dasharray="7 5"' : "";
    const opacity = s.curve === "to-be" ? "0.10" : "0.18";
    out.push(`<g class="persona" data-persona="${s.persona.id}" data-curve="${s.curve}">`);
    for (const band of s.bands) {
      if (band.length === 1) {
        const [bx, high, low] = band[0];
        out.push(`<rect x="${num(bx - 7)}" y="${num(high)}" width="14" height="${num(low - high)}" rx="7" fill=${color} fill-opacity="${opacity}"/>`);
        continue;
      }
      const upper = band.map(([bx, high]) => `${num(bx)},${num(high)}`).join(" ");
      const lower = [...band].reverse().map(([bx, , low]) => `${num(bx)},${num(low)}`).join(" ");
      out.push(`<polygon points="${upper} ${lower}" fill=${color} fill-opacity="${opacity}"/>`);
    }
    for (const line of s.lines) {
      const pts = line.map(([lx, ly]) => `${num(lx)},${num(ly)}`).join(" ");
      out.push(`<polyline points="${pts}" fill="none" stroke=${color} stroke-width="3"${dashed} stroke-linejoin="round" stroke-linecap="round"/>`);
    }
    for (const d of s.dots) {
      const p = d.p;
      if (p.moment_of_truth) {
        out.push(`<circle cx="${num(d.x)}" cy="${num(d.y)}" r="10" fill="none" stroke=${color} stroke-width="2" class="moment-of-truth"/>`);
      }
      const tip = `${s.persona.name} (${s.curve}) at ${p.title}: ${formatScore(p.mean)}, ${scoresText(p)}`;
      const fill = s.curve === "to-be" ? "#fff" : s.persona.color;
      out.push(`<circle cx="${num(d.x)}" cy="${num(d.y)}" r="5" fill=${quoteattr(fill)} stroke=${color} stroke-width="2"><title>${escape(tip)}</title></circle>`);
    }
    out.push("</g>");
  }
  out.push('<g class="labels">');
  for (const label of lay.labels) {
    out.push(
      `<text x="${num(label.x)}" y="${num(label.y)}" font-size="10" font-weight="600" fill=${quoteattr(label.color)} ` +
        `text-anchor="middle" paint-order="stroke" stroke="#fff" stroke-width="3">${escape(label.text)}</text>`,
    );
  }
  out.push("</g>");
  if (!compact && curves.length) {
    let lx = left;
    for (const c of curves) {
      const name = chars(c.persona.name, 30);
      out.push(`<rect x="${lx}" y="12" width="12" height="12" rx="3" fill=${quoteattr(c.persona.color)}/>`);
      out.push(`<text x="${lx + 18}" y="22" font-size="13" fill="#1c1d22">${escape(name)}</text>`);
      lx += 30 + 8 * Array.from(name).length;
    }
    let key = "\u2014 as-is  - - to-be  \u2605 Moment of truth  band \u00b11 s.d.";
    if (curves.some((c) => c.stages.concat(c.to_be || []).some((p) => p.below_floor))) key += "  * under the floor";
    out.push(`<text x="${width - right}" y="22" font-size="11" fill="#5b5e6b" text-anchor="end">${escape(key)}</text>`);
  }
  if (!lay.series.some((s) => s.dots.length)) {
    out.push(`<text x="${num(left + lay.plotW / 2)}" y="${num(lay.top + lay.plotH / 2 - 8)}" font-size="13" fill="#6b7280" text-anchor="middle">No scores yet</text>`);
  }
  out.push("</svg>");
  return out.join("\n");
}
