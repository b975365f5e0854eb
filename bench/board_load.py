"""Two targets the load profiles do not measure: a big board's snapshot, and idle connections.

    python bench/board_load.py [--db sqlite|postgres] [--notes 2000] [--idle 1000] [--app-dir DIR]

- **snapshot**: a board holding `--notes` notes (added through the op door, as
  people would); the server-side time to build the snapshot a connecting
  client gets (`board_snapshot` + `visibility.snapshot_for` + JSON encoding),
  timed inside a `manage.py shell` of the app (median of 20, wall and CPU),
  and the time from opening a WebSocket to having the snapshot frame
  (median of 10, wall; includes auth, the connect hops and the transfer).
- **idle memory**: the server's resident memory (VmRSS) before and after
  `--idle` WebSockets connect (25 per board, as in a workshop) and sit idle
  for a few seconds; the difference divided by the number of connections.

Resonance only, one process; prints a small Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

from run import raise_fd_limit
from servers import PYTHON, run_checked
from targets import ResonanceTarget

BENCH_DIR = Path(__file__).resolve().parent

FILL_AND_TIME = """
import json, os, statistics, time
from boards.broadcast import encode
from boards.models import Participant
from boards.ops import apply_op_request
from boards.state import board_snapshot
from boards import visibility
board_id, notes = int(os.environ["BENCH_BOARD"]), int(os.environ["BENCH_NOTES"])
actor = Participant.objects.get(token=os.environ["BENCH_TOKEN"])
sections = ["says", "thinks", "does", "feels"]
for i in range(notes):
    apply_op_request(board_id, actor.id, "note.add",
                     {"section": sections[i % 4], "text": f"note {i}: " + "words " * 8})
viewer = visibility.viewer_of(actor)
walls, cpus = [], []
for _ in range(20):
    w, c = time.perf_counter(), time.process_time()
    encode(visibility.snapshot_for(viewer, board_snapshot(board_id)))
    walls.append(time.perf_counter() - w)
    cpus.append(time.process_time() - c)
print("BENCH_SNAPSHOT " + json.dumps({"wall_ms": 1e3 * statistics.median(walls),
                                     "cpu_ms": 1e3 * statistics.median(cpus)}))
"""


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def open_ws(p):
    from websockets.asyncio.client import connect

    ws = await connect(
        p.url,
        additional_headers=[("Authorization", f"Token {p.token}")],
        origin=p.origin,
        proxy=None,
        compression=None,
        ping_interval=None,
        max_size=2**24,
        open_timeout=60,
    )
    while json.loads(await ws.recv()).get("type") != "snapshot":
        pass
    return ws


async def time_snapshot_over_ws(p, times: int) -> float:
    walls = []
    for _ in range(times):
        t = time.perf_counter()
        ws = await open_ws(p)
        walls.append(time.perf_counter() - t)
        await ws.close()
    return 1e3 * statistics.median(walls)


async def hold_idle(people, pid: int, settle: float) -> dict:
    before = rss_kib(pid)
    gate = asyncio.Semaphore(50)

    async def one(p):
        async with gate:
            return await open_ws(p)

    sockets = await asyncio.gather(*(one(p) for p in people))
    await asyncio.sleep(settle)
    after = rss_kib(pid)
    for ws in sockets:
        await ws.close()
    return {"connections": len(sockets), "rss_before_kib": before, "rss_after_kib": after}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--server", choices=["daphne", "uvicorn"], default="daphne")
    ap.add_argument("--app-dir", type=Path, default=BENCH_DIR.parent)
    ap.add_argument("--notes", type=int, default=2000)
    ap.add_argument("--idle", type=int, default=1000, help="idle connections (25 per board)")
    ap.add_argument("--settle", type=float, default=5.0, help="seconds idle before measuring memory")
    args = ap.parse_args(argv)
    raise_fd_limit()
    log_dir = Path(tempfile.mkdtemp(prefix="board-load-"))
    target = ResonanceTarget(args.app_dir, args.server, log_dir, db=args.db)
    result = {"db": args.db, "server": args.server}
    try:
        target.start()
        [reader] = target.participants(1, 1)
        env = {
            **target.env,
            "BENCH_BOARD": reader.url.rstrip("/").rsplit("/", 1)[1],
            "BENCH_NOTES": str(args.notes),
            "BENCH_TOKEN": reader.token,
        }
        out = run_checked(
            [PYTHON, "manage.py", "shell", "-c", FILL_AND_TIME], args.app_dir, env, "fill", timeout=900
        )
        line = next(ln for ln in out.splitlines() if ln.startswith("BENCH_SNAPSHOT "))
        result["snapshot"] = {"notes": args.notes, **json.loads(line.split(" ", 1)[1])}
        result["snapshot"]["ws_ms"] = asyncio.run(time_snapshot_over_ws(reader, 10))
        if args.idle:
            # Fresh boards of 25 (the big board stays out of it: its snapshot is not idle cost).
            boards = -(-args.idle // 25)
            people = target.participants(boards + 1, 25)[25:][: args.idle]
            pid = target.servers[0].proc.pid
            result["idle"] = asyncio.run(hold_idle(people, pid, args.settle))
    finally:
        target.stop()
    snap, idle = result["snapshot"], result.get("idle")
    print(f"\n| Resonance ({args.server}, {args.db}) | value |\n| --- | --- |")
    print(
        f"| snapshot of {snap['notes']} notes, server time (median of 20) | {snap['wall_ms']:.1f} ms wall, {snap['cpu_ms']:.1f} ms CPU |"
    )
    print(f"| WebSocket open to snapshot frame (median of 10) | {snap['ws_ms']:.1f} ms |")
    if idle:
        per = (idle["rss_after_kib"] - idle["rss_before_kib"]) / idle["connections"]
        print(
            f"| RSS before / after {idle['connections']} idle connections | {idle['rss_before_kib'] / 1024:.1f} / {idle['rss_after_kib'] / 1024:.1f} MiB |"
        )
        print(f"| memory per idle connection | {per:.1f} KiB |")
    print("\n" + json.dumps(result))


if __name__ == "__main__":
    main()
