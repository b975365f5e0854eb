import assert from "node:assert/strict";
import { test } from "node:test";

import { PHASES, phaseStep, privateNotesWritten, votesLeft } from "../facilitation.js";

test("the stepper walks the agenda both ways and stops at the ends", () => {
  assert.equal(phaseStep("vote", 1), "discuss");
  assert.equal(phaseStep("vote", -1), "group");
  assert.equal(phaseStep("open", -1), null);
  assert.equal(phaseStep("wrap-up", 1), null);
  assert.equal(phaseStep("nonsense", 1), null);
  assert.deepEqual(PHASES.map(([key]) => key), ["open", "write", "reveal", "group", "vote", "discuss", "wrap-up"]);
});

test("votes left counts only the participant's own dots", () => {
  const state = {
    facilitation: { votes_per_person: 3 },
    votes: [{ note: 1, voter: 7 }, { note: 2, voter: 7 }, { note: 2, voter: null }],
  };
  assert.equal(votesLeft(state, 7), 1);
  assert.equal(votesLeft({ ...state, votes: [] }, 7), 3);
});

test("notes written privately are counted over every section", () => {
  assert.equal(privateNotesWritten({ facilitation: { private_counts: { says: 3, feels: 4 } } }), 7);
  assert.equal(privateNotesWritten({ facilitation: {} }), 0);
});
