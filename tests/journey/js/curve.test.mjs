// node --test tests/journey/js/: the pure helpers of static/js/curve.js.
import assert from "node:assert/strict";
import { test } from "node:test";
import { formatMean, scoreAt, scoreText, yOf } from "../../../static/js/curve.js";

test("scores map onto the same y as boards/curve.py's compact SVG", () => {
  // 220 px tall, 14 px padding: +3 at the top of the plot, -3 at the bottom.
  assert.equal(yOf(3, 220), 14);
  assert.equal(yOf(-3, 220), 206);
  assert.equal(yOf(0, 220), 110);
});

test("a y picks the nearest score, clamped", () => {
  for (let s = -3; s <= 3; s++) assert.equal(scoreAt(yOf(s, 220), 220), s);
  assert.equal(scoreAt(0, 220), 3);
  assert.equal(scoreAt(500, 220), -3);
  assert.equal(scoreAt(yOf(1, 220) + 10, 220), 1);
});

test("numbers read as people write them", () => {
  assert.equal(scoreText(null), "not scored");
  assert.equal(scoreText(2), "+2");
  assert.equal(scoreText(-2), "\u22122");
  assert.equal(formatMean(-2.4), "\u22122.4");
  assert.equal(formatMean(1.8), "+1.8");
  assert.equal(formatMean(0.01), "0.0");
  assert.equal(formatMean(null), "–");
});
