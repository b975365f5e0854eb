"""Proof that the load generator's correctness checks catch what they claim to.

Runs the relay three times for a few seconds: clean (must pass), dropping every
500th delivery (must FAIL with lost deliveries), duplicating every 500th (must
FAIL with duplicates). Exit status 0 when all three verdicts are as expected.

    python bench/selftest.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import loadgen
from run import raise_fd_limit
from targets import RelayTarget

CASES = [
    ("clean", {}, None),
    ("drop every 500th delivery", {"RELAY_DROP_EVERY": "500"}, "deliveries lost"),
    ("duplicate every 500th delivery", {"RELAY_DUPLICATE_EVERY": "500"}, "duplicate/out-of-order"),
]


def main() -> int:
    raise_fd_limit()
    failures = 0
    with tempfile.TemporaryDirectory(prefix="resonance-selftest-") as tmp:
        for name, env, must_say in CASES:
            target = RelayTarget("daphne", Path(tmp), extra_env=env)
            try:
                target.start()
                people = target.participants(2, 25)
                result = loadgen.run(people, loadgen.LoadSpec(rate=1.0, duration=5, workers=2))
            finally:
                target.stop()
            said = "; ".join(result["problems"]) or "ok"
            # A clean run must pass; a faulty one must fail, for the right reason.
            good = result["ok"] if must_say is None else (not result["ok"] and must_say in said)
            failures += not good
            print(f"{'PASS' if good else 'WRONG'}  {name}: {result['expected']} expected, "
                  f"{result['received']} received -> {said}")  # fmt: skip
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
