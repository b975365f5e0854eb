"""The CI guard: a short workshop run, relay and Resonance in the same run, compared
with the ratios recorded in bench/guard_record.json.

    python bench/guard.py            # fails (exit 1) if Resonance got >30 % worse than recorded
    python bench/guard.py --record   # writes the record (commit it, saying why)

Ratios to the relay, not absolute figures, because CI machines and shared
machines differ in speed and load; the relay runs on the same server, the same
load generator and the same moment. Two figures are guarded: server CPU per
delivery (what load moves least) and p99 latency. Every run must also pass
the harness's correctness check (every op acked, every delivery once, in order).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
RECORD = BENCH_DIR / "guard_record.json"
# 2 boards x 25 people, a note every 2 s each, 20 s per target: about 90 s in all.
RUN = ["--profile", "workshop", "--boards", "2", "--per-board", "25", "--duration", "20"]
TOLERANCE = 1.30
# A ratio of p99s below this many ms is noise, not a regression: both sides get a floor.
P99_FLOOR_MS = 5.0


def cpu_per_delivery(row: dict) -> float:
    return sum(row["server_cpu_pct"]) / 100 / row["deliveries_per_s"] * 1e6


def ratios(rows: list[dict]) -> dict:
    relay = next(r for r in rows if r["target"].startswith("relay"))
    resonance = next(r for r in rows if r["target"].startswith("Resonance"))
    return {
        "cpu_per_delivery_ratio": round(cpu_per_delivery(resonance) / cpu_per_delivery(relay), 3),
        "p99_ratio": round(
            max(resonance["latency_ms"]["p99"], P99_FLOOR_MS) / max(relay["latency_ms"]["p99"], P99_FLOOR_MS),
            3,
        ),
        "relay": {"cpu_us": round(cpu_per_delivery(relay)), "p99_ms": relay["latency_ms"]["p99"]},
        "resonance": {"cpu_us": round(cpu_per_delivery(resonance)), "p99_ms": resonance["latency_ms"]["p99"]},
        "other_cpu_pct": round(resonance.get("other_cpu_pct", 0)),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--record", action="store_true", help="write the measured ratios as the new record")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "guard.json"
        done = subprocess.run(
            [sys.executable, str(BENCH_DIR / "run.py"), *RUN, "--json", str(out)], check=False
        )
        if not out.exists():
            print(f"guard: the benchmark did not finish (exit {done.returncode})")
            return 1
        rows = json.loads(out.read_text())["rows"]
    failed = [r for r in rows if not r["ok"]]
    if failed or len(rows) < 2:
        print("guard: FAILED: a run did not pass its correctness check:", [r["problems"] for r in failed])
        return 1
    now = ratios(rows)
    print("guard: measured", json.dumps(now))
    if args.record:
        RECORD.write_text(json.dumps(now, indent=2) + "\n")
        print(f"guard: recorded in {RECORD.relative_to(BENCH_DIR.parent)}")
        return 0
    record = json.loads(RECORD.read_text())
    worse = [
        f"{key} {now[key]} > {TOLERANCE} x recorded {record[key]}"
        for key in ("cpu_per_delivery_ratio", "p99_ratio")
        if now[key] > TOLERANCE * record[key]
    ]
    if worse:
        print("guard: FAILED: Resonance got more than 30 % worse against the relay:", "; ".join(worse))
        return 1
    print("guard: ok (recorded:", record["cpu_per_delivery_ratio"], "CPU,", record["p99_ratio"], "p99)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
