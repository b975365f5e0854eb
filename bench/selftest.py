"""Proof that the harness does what it claims, before Resonance exists.

1. The load generator's checks: the relay runs for a few seconds clean (must
   pass), dropping every 500th delivery (must FAIL with lost deliveries),
   duplicating every 500th (must FAIL with duplicates).
2. The Resonance path (REST set-up, Token and Origin headers, board grouping):
   `ResonanceTarget` drives bench/mock_resonance/, a stand-in that speaks the
   wire contract over the relay (must pass).

Exit status 0 when every verdict is as expected.

    python bench/selftest.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import loadgen
from run import raise_fd_limit
from targets import RelayTarget, ResonanceTarget

MOCK_RESONANCE = Path(__file__).resolve().parent / "mock_resonance"

CASES = [
    ("clean", {}, None),
    ("drop every 500th delivery", {"RELAY_DROP_EVERY": "500"}, "deliveries lost"),
    ("duplicate every 500th delivery", {"RELAY_DUPLICATE_EVERY": "500"}, "duplicate/out-of-order"),
    ("Resonance path against the mock", None, None),
]


def main() -> int:
    raise_fd_limit()
    failures = 0
    with tempfile.TemporaryDirectory(prefix="resonance-selftest-") as tmp:
        for name, env, must_say in CASES:
            if env is None:
                target = ResonanceTarget(MOCK_RESONANCE, "daphne", Path(tmp))
            else:
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
