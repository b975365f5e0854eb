"""One command for the Resonance benchmarks: `python bench/run.py --profile workshop`.

Starts the bare relay and Resonance, drives both with the same load generator,
prints a Markdown table and writes the raw figures to bench/results/. See
bench/README.md for the profiles and options.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import sys
import tempfile
import time
from pathlib import Path

import loadgen
from report import markdown_table, saturation_summary
from servers import machine_busy_seconds
from targets import NotReady, RelayTarget, ResonanceTarget

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent

# Saturation ladder: boards of 25 people at 0.5 ops/s each; every board adds
# 12.5 ops/s and 312.5 deliveries/s. Human rates per connection stay the same,
# so the server's per-connection rate limit is never what stops the climb.
SATURATION_BOARDS = [4, 8, 12, 16, 20, 24, 32, 40, 48, 64, 96]
SATURATION_BOARDS_QUICK = [4, 8, 16, 32]
MAX_STEPS_SECONDS = 30 * 60  # a saturation climb never runs longer than this per target
LOADGEN_BUSY_PCT = 90  # a worker above this is the bottleneck, not the server


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profile", choices=["workshop", "saturation", "twoproc", "all"], default="workshop")
    ap.add_argument("--quick", action="store_true", help="short windows, short ladder: a smoke run")
    ap.add_argument("--duration", type=float, help="seconds of sending per run (per step for saturation)")
    ap.add_argument("--target", choices=["both", "relay", "resonance"], default="both")
    ap.add_argument("--server", choices=["daphne", "uvicorn"], default="daphne")
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite", help="Resonance's database")
    ap.add_argument("--layer", choices=["memory", "redis", "pubsub"], default="memory", help="channel layer")
    ap.add_argument("--app-dir", type=Path, default=REPO_DIR, help="the Resonance checkout to serve")
    ap.add_argument(
        "--workers", type=int, default=max(2, os.cpu_count() or 2), help="load generator processes"
    )
    ap.add_argument("--boards", type=int, default=4)
    ap.add_argument("--per-board", type=int, default=25)
    ap.add_argument("--rate", type=float, default=0.5, help="ops per second per participant")
    ap.add_argument("--p99-limit", type=float, default=250.0, help="saturation stops past this p99 (ms)")
    ap.add_argument("--report", type=Path, nargs="+", metavar="JSON", help="only re-print saved results")
    ap.add_argument(
        "--json", type=Path, help="where to write raw results (default bench/results/<time>.json)"
    )
    return ap.parse_args(argv)


def raise_fd_limit() -> None:
    # One socket per participant on each side; 1024 is too few for the saturation ladder.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def measure(target, profile: str, step: str, boards: int, args, duration: float) -> dict:
    """One load window against a started target; the row that goes in the table."""
    people = target.participants(boards, args.per_board)
    spec = loadgen.LoadSpec(rate=args.rate, duration=duration, workers=args.workers)
    machine = {}

    def on_start():
        machine["start"] = machine_busy_seconds()
        for server in target.servers:
            server.mark_start()

    def on_end():
        machine["busy"] = machine_busy_seconds() - machine["start"]
        for server in target.servers:
            server.mark_end()

    print(f"  {target.label} {profile} {step}: {len(people)} participants, {duration:.0f} s ...", flush=True)
    result = loadgen.run(people, spec, on_start=on_start, on_end=on_end)
    result.update(
        target=target.label,
        profile=profile,
        step=step,
        per_board=args.per_board,
        server_cpu_pct=[100 * s.cpu_seconds / duration for s in target.servers],
    )
    # Whatever the machine did beyond our server and load generator: other people's work.
    ours = sum(result["server_cpu_pct"]) + result["loadgen_cpu_pct"]
    result["other_cpu_pct"] = max(0.0, 100 * machine["busy"] / duration - ours)
    result["machine_saturated"] = 100 * machine["busy"] / duration > 0.9 * 100 * (os.cpu_count() or 1)
    lat = result["latency_ms"]
    verdict = "ok" if result["ok"] else "FAILED: " + "; ".join(result["problems"])
    print(
        f"    p50 {lat['p50']:.1f} p99 {lat['p99']:.1f} ms, {result['deliveries_per_s']:.0f} deliveries/s, "
        f"loadgen {result['loadgen_cpu_pct']:.0f}% server {sum(result['server_cpu_pct']):.0f}% "
        f"others {result['other_cpu_pct']:.0f}%: {verdict}",
        flush=True,
    )
    return result


def with_target(target, body, skipped: list) -> None:
    """Start a target, run `body(target)`, always stop it. A Resonance not ready is skipped."""
    print(f"starting {target.label}", flush=True)
    try:
        target.start()
        body(target)
    except NotReady as exc:
        skipped.append(f"{target.label}: not ready: {exc}")
        print(f"  skipped, not ready: {exc}", flush=True)
    except (RuntimeError, loadgen.LoadgenError) as exc:
        skipped.append(f"{target.label}: {exc}")
        print(f"  could not run: {exc}", flush=True)
    finally:
        target.stop()


def make_targets(args, log_dir: Path, procs: int = 1, db: str | None = None, layer: str | None = None):
    targets = []
    if args.target in ("both", "relay") and procs == 1:
        targets.append(RelayTarget(args.server, log_dir))
    if args.target in ("both", "resonance"):
        targets.append(
            ResonanceTarget(
                args.app_dir.resolve(),
                args.server,
                log_dir,
                procs=procs,
                db=db or args.db,
                layer=layer or args.layer,
            )
        )
    return targets


def profile_workshop(args, log_dir, rows, skipped, profile="workshop", procs=1, db=None, layer=None):
    duration = args.duration or (15 if args.quick else 60)
    step = f"{args.boards}x{args.per_board}"
    for target in make_targets(args, log_dir, procs, db, layer):
        with_target(
            target, lambda t: rows.append(measure(t, profile, step, args.boards, args, duration)), skipped
        )


def profile_saturation(args, log_dir, rows, skipped):
    duration = args.duration or (8 if args.quick else 20)
    ladder = SATURATION_BOARDS_QUICK if args.quick else SATURATION_BOARDS

    def climb(target):
        started = time.monotonic()
        for boards in ladder:
            row = measure(target, "saturation", f"{boards}x{args.per_board}", boards, args, duration)
            rows.append(row)
            if row["ok"] and row["latency_ms"]["p99"] > args.p99_limit and row["machine_saturated"]:
                # On a shared machine one step's tail can be someone else's burst:
                # the climb stops only when a second try at that step agrees.
                print("    p99 past the limit on a busy machine: trying this step once more", flush=True)
                row = measure(
                    target, "saturation", f"{boards}x{args.per_board} (again)", boards, args, duration
                )
                rows.append(row)
            if not row["ok"] or row["latency_ms"]["p99"] > args.p99_limit:
                break
            if row["loadgen_cpu_max_worker_pct"] > LOADGEN_BUSY_PCT:
                print("    load generator saturated: stopping the climb", flush=True)
                break
            if time.monotonic() - started > MAX_STEPS_SECONDS:
                break

    for target in make_targets(args, log_dir):
        with_target(target, climb, skipped)


def profile_twoproc(args, log_dir, rows, skipped):
    if args.target == "relay":
        skipped.append("twoproc: the relay has no shared layer; twoproc runs Resonance only")
        return
    # Redis as the layer unless pubsub was asked for; PostgreSQL is required.
    layer = args.layer if args.layer != "memory" else "redis"
    profile_workshop(args, log_dir, rows, skipped, profile="twoproc", procs=2, db="postgres", layer=layer)


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def reprint(paths: list[Path], p99_limit: float) -> int:
    """The table of saved runs (several files merge into one table)."""
    rows = []
    for path in paths:
        saved = json.loads(path.read_text())
        print(f"- {path.name}: started {saved['started']}")
        rows.extend(saved["rows"])
    print()
    print(markdown_table(rows))
    summary = saturation_summary(rows, p99_limit)
    if summary:
        print()
        print(summary)
    return 0


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.report:
        return reprint(args.report, args.p99_limit)
    raise_fd_limit()
    # SIGTERM (e.g. from a CI timeout) unwinds like Ctrl-C, so every `finally` stops its servers.
    signal.signal(signal.SIGTERM, _interrupt)
    profiles = ["workshop", "saturation", "twoproc"] if args.profile == "all" else [args.profile]
    rows, skipped = [], []
    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    with tempfile.TemporaryDirectory(prefix="resonance-bench-") as tmp:
        log_dir = Path(tmp)
        try:
            for profile in profiles:
                {"workshop": profile_workshop, "saturation": profile_saturation, "twoproc": profile_twoproc}[
                    profile
                ](args, log_dir, rows, skipped)
        finally:
            # Keep the server logs of a failed run: the temp dir goes away.
            if any(not r["ok"] for r in rows) or skipped:
                keep = BENCH_DIR / "results" / "logs"
                keep.mkdir(parents=True, exist_ok=True)
                for log in log_dir.glob("*.log"):
                    (keep / log.name).write_bytes(log.read_bytes())

    print()
    print(f"Command: `python bench/run.py {' '.join(sys.argv[1:] if argv is None else argv)}` at {started}")
    print()
    print(markdown_table(rows))
    summary = saturation_summary(rows, args.p99_limit)
    if summary:
        print()
        print(summary)
    for note in skipped:
        print(f"\n- not measured: {note}")

    out = args.json or BENCH_DIR / "results" / time.strftime("%Y%m%d-%H%M%S.json", time.gmtime())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps({"started": started, "args": vars(args), "rows": rows, "skipped": skipped}, default=str)
    )
    print(f"\nraw results: {out}")
    return 0 if rows and all(r["ok"] for r in rows) and not skipped else 1


if __name__ == "__main__":
    sys.exit(main())
