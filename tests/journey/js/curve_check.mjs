// Draws each case with static/js/curve-math.js and prints [{curves, svg}] as JSON
// (tests/journey/test_curve_js_parity.py compares with boards/curve.py).
import { readFileSync } from "node:fs";

import { curveSvg, emotionCurve } from "../../../static/js/curve-math.js";

const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
const out = cases.map(({ snapshot, persona_ids, width, height, compact, everything }) => ({
  curves: snapshot.personas.map((p) => emotionCurve(snapshot, p.id, { everything })),
  svg: curveSvg(snapshot, persona_ids, { width, height, compact, everything, idPrefix: "c" }),
}));
process.stdout.write(JSON.stringify(out));
