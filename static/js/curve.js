// The Feelings lane's score controls: one vertical scale per persona and stage with
// the participant's own dot. The curve itself is drawn from the page's state by
// curve-math.js (the same SVG the exports use); no request per score.

export const MIN = -3;
export const MAX = 3;
// Must match boards/curve.py's compact layout: the plot's top and bottom padding.
const PAD = 14;

export function scoreText(score) {
  if (score == null) return "not scored";
  if (score === 0) return "0";
  return score > 0 ? `+${score}` : `\u2212${-score}`;
}

export function formatMean(value) {
  if (value == null) return "–";
  if (Math.abs(value) < 0.05) return "0.0";
  const text = value.toFixed(1);
  return value > 0 ? `+${text}` : text.replace("-", "\u2212");
}

/** The y (px from the top) of a score in a plot `height` px tall. */
export function yOf(score, height) {
  return PAD + ((MAX - score) / (MAX - MIN)) * (height - 2 * PAD);
}

/** The score nearest to a y (px from the top), clamped to the scale. */
export function scoreAt(y, height) {
  const raw = MAX - ((y - PAD) / (height - 2 * PAD)) * (MAX - MIN);
  return Math.max(MIN, Math.min(MAX, Math.round(raw)));
}

/**
 * One score control: a vertical scale for one persona at one stage, with the
 * participant's own dot. Click a value, drag the dot, or use the arrow keys
 * (Up/Down one step, Home/End +3/−3, Delete clears).
 */
export function scoreSlider({ stage, persona, score, height, label, onChange, onHold, readOnly }) {
  const slider = document.createElement("div");
  slider.className = "score-slider";
  slider.style.setProperty("--persona", persona.color);
  slider.style.height = `${height}px`;
  slider.dataset.focus = `score:${stage.key}:${persona.id}`;
  slider.setAttribute("role", "slider");
  slider.setAttribute("aria-label", label);
  slider.setAttribute("aria-valuemin", String(MIN));
  slider.setAttribute("aria-valuemax", String(MAX));
  slider.setAttribute("aria-orientation", "vertical");
  if (readOnly) slider.setAttribute("aria-readonly", "true");
  slider.tabIndex = readOnly ? -1 : 0;

  const track = document.createElement("div");
  track.className = "score-track";
  slider.append(track);
  for (let s = MIN; s <= MAX; s++) {
    const tick = document.createElement("span");
    tick.className = s === 0 ? "score-tick zero" : "score-tick";
    tick.style.top = `${yOf(s, height)}px`;
    track.append(tick);
  }
  const dot = document.createElement("span");
  dot.className = "own-dot";
  dot.setAttribute("aria-hidden", "true");
  slider.append(dot);

  let current = score;
  function show(value) {
    slider.setAttribute("aria-valuenow", value == null ? "0" : String(value));
    slider.setAttribute("aria-valuetext", scoreText(value));
    slider.classList.toggle("unscored", value == null);
    dot.style.top = `${yOf(value ?? 0, height)}px`;
    dot.textContent = value == null ? "" : scoreText(value);
  }
  show(current);
  if (readOnly) return slider;

  function commit(value) {
    if (value === current) return;
    current = value;
    show(value);
    onChange(value);
  }

  slider.addEventListener("keydown", (event) => {
    const base = current ?? 0;
    const next = {
      ArrowUp: Math.min(MAX, current == null ? 0 : base + 1),
      ArrowRight: Math.min(MAX, current == null ? 0 : base + 1),
      ArrowDown: Math.max(MIN, current == null ? 0 : base - 1),
      ArrowLeft: Math.max(MIN, current == null ? 0 : base - 1),
      Home: MAX,
      End: MIN,
      PageUp: MAX,
      PageDown: MIN,
      Delete: null,
      Backspace: null,
    };
    if (!(event.key in next)) return;
    event.preventDefault();
    commit(next[event.key]);
  });

  let dragging = false;
  const yIn = (event) => event.clientY - slider.getBoundingClientRect().top;
  slider.addEventListener("pointerdown", (event) => {
    dragging = true;
    onHold?.(true);
    slider.setPointerCapture(event.pointerId);
    slider.focus({ preventScroll: true });
    show(scoreAt(yIn(event), height));
    event.preventDefault();
  });
  slider.addEventListener("pointermove", (event) => {
    if (dragging) show(scoreAt(yIn(event), height));
  });
  const finish = (event) => {
    if (!dragging) return;
    dragging = false;
    commit(scoreAt(yIn(event), height));
    onHold?.(false);
  };
  slider.addEventListener("pointerup", finish);
  slider.addEventListener("pointercancel", () => {
    dragging = false;
    show(current);
    onHold?.(false);
  });
  return slider;
}
