"""The event-stream fallback (docs/protocol.md §11) at the workshop profile, and its idle memory.

    python bench/sse_bench.py [--server daphne|uvicorn] [--duration 60] [--observers 2] [--idle 1000]

- **latency**: the workshop profile (4 boards x 25 WebSocket participants, each
  adding a note every 2 s on average, driven by bench/loadgen.py) with
  `--observers` more people per board who only read, over the event stream.
  For every op event they receive, the time from the sender's `send` (stamped in
  the op's client_op_id, as loadgen does) to the event arriving. Compared with
  the WebSocket participants' p99 of the same window; the target is
  event-stream p99 <= WebSocket p99 + 20 ms. Each observer must receive every
  op of its board exactly once and in order.
- **idle memory**: the server's VmRSS before and after `--idle` event streams
  (25 per fresh board) open and sit idle for `--settle` seconds; the difference
  divided by their number. The target is <= 50 KiB each.

Resonance only, one process (SQLite, in-memory layer); prints a small Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import loadgen
from board_load import rss_kib
from run import raise_fd_limit
from targets import ResonanceTarget

BENCH_DIR = Path(__file__).resolve().parent


class Observer:
    """One event stream read as it comes, over a plain HTTP/1.1 connection."""

    def __init__(self, participant: loadgen.Participant):
        parts = urlsplit(participant.url)
        self.host, self.port = parts.hostname, parts.port
        self.board_id = int(parts.path.rstrip("/").rsplit("/", 1)[1])
        self.token = participant.token
        self.latencies: list[tuple[float, float]] = []  # (send stamp, seconds to arrive)
        self.seqs: list[int] = []
        self.snapshot_seq = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=2**24)
        request = (
            f"GET /api/v1/boards/{self.board_id}/events/ HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Authorization: Token {self.token}\r\nAccept: text/event-stream\r\n\r\n"
        )
        self.writer.write(request.encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        if status != 200:
            raise RuntimeError(f"event stream refused: {head!r}")
        self.chunked = b"transfer-encoding: chunked" in head.lower()

    async def read(self, until_seq=None) -> None:
        buffer = b""
        while True:
            if self.chunked:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                if size == 0:
                    return
                data = (await self.reader.readexactly(size + 2))[:-2]
            else:
                data = await self.reader.read(65536)
                if not data:
                    return
            arrived = time.monotonic()
            buffer += data
            *blocks, buffer = buffer.split(b"\n\n")
            for block in blocks:
                for line in block.split(b"\n"):
                    if line.startswith(b"data: "):
                        self._frame(json.loads(line[6:]), arrived)

    def _frame(self, frame: dict, arrived: float) -> None:
        if frame["type"] == "snapshot" and self.snapshot_seq is None:
            self.snapshot_seq = frame["seq"]
        elif frame["type"] == "op":
            self.seqs.append(frame["seq"])
            stamp = loadgen.stamp_of(frame.get("client_op_id"))
            if stamp is not None:
                self.latencies.append((stamp, arrived - stamp))

    def close(self) -> None:
        self.writer.transport.abort()


class Loop:
    """An asyncio loop in a thread of its own, beside the load generator's processes."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro, timeout=300):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--server", choices=["daphne", "uvicorn"], default="daphne")
    ap.add_argument("--app-dir", type=Path, default=BENCH_DIR.parent)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--boards", type=int, default=4)
    ap.add_argument("--per-board", type=int, default=25)
    ap.add_argument("--rate", type=float, default=0.5)
    ap.add_argument("--observers", type=int, default=2, help="event-stream readers per board")
    ap.add_argument("--idle", type=int, default=1000)
    ap.add_argument("--settle", type=float, default=5.0)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    raise_fd_limit()
    log_dir = Path(tempfile.mkdtemp(prefix="sse-bench-"))
    target = ResonanceTarget(args.app_dir, args.server, log_dir)
    # Every bench client comes from 127.0.0.1: lift the per-address cap for it.
    target.env["SSE_MAX_STREAMS_PER_ADDRESS"] = str(10 * (args.idle + 100))
    loop = Loop()
    result = {"server": args.server}
    try:
        target.start()
        group = args.per_board + args.observers
        everyone = target.participants(args.boards, group)
        writers = [p for i, p in enumerate(everyone) if i % group < args.per_board]
        observers = [Observer(p) for i, p in enumerate(everyone) if i % group >= args.per_board]
        for observer in observers:
            loop.run(observer.open())
        readers = [asyncio.run_coroutine_threadsafe(o.read(), loop.loop) for o in observers]
        window = {}
        spec = loadgen.LoadSpec(rate=args.rate, duration=args.duration, workers=args.workers)
        print(
            f"  workshop: {len(writers)} WebSocket writers, {len(observers)} event-stream readers ...",
            flush=True,
        )
        ws = loadgen.run(
            writers,
            spec,
            on_start=lambda: window.setdefault("t0", time.monotonic()),
            on_end=lambda: window.setdefault("t1", time.monotonic()),
        )
        time.sleep(2)
        for observer in observers:
            loop.loop.call_soon_threadsafe(observer.close)
        for reader in readers:
            with contextlib.suppress(Exception):
                reader.result(10)
        t0, t1 = window["t0"], window["t1"]
        sse = [lat for o in observers for stamp, lat in o.latencies if t0 <= stamp <= t1]
        problems = []
        for o in observers:
            want = list(range(o.snapshot_seq + 1, o.seqs[-1] + 1)) if o.seqs else []
            if o.seqs != want:
                problems.append(f"board {o.board_id}: an observer's seqs are not every op once in order")
        result["websocket"] = {"ok": ws["ok"], "problems": ws["problems"], **ws["latency_ms"]}
        result["event_stream"] = {
            "n": len(sse),
            "p50": 1000 * percentile(sse, 0.5),
            "p95": 1000 * percentile(sse, 0.95),
            "p99": 1000 * percentile(sse, 0.99),
            "max": 1000 * max(sse, default=float("nan")),
            "ok": not problems,
            "problems": problems,
        }
        if args.idle:
            boards = -(-args.idle // 25)
            first = args.boards + 1
            people = target.participants(first + boards, 25)
            people = [
                p
                for p in people
                if int(urlsplit(p.url).path.rstrip("/").rsplit("/", 1)[1])
                not in {o.board_id for o in observers}
            ][: args.idle]
            pid = target.servers[0].proc.pid
            before = rss_kib(pid)
            idle = [Observer(p) for p in people]

            async def open_all():
                gate = asyncio.Semaphore(50)

                async def one(o):
                    async with gate:
                        await o.open()

                await asyncio.gather(*(one(o) for o in idle))

            loop.run(open_all(), timeout=600)
            idle_readers = [asyncio.run_coroutine_threadsafe(o.read(), loop.loop) for o in idle]
            time.sleep(args.settle)
            after = rss_kib(pid)
            for o in idle:
                loop.loop.call_soon_threadsafe(o.close)
            for reader in idle_readers:
                with contextlib.suppress(Exception):
                    reader.result(10)
            result["idle"] = {"streams": len(idle), "rss_before_kib": before, "rss_after_kib": after}
    finally:
        loop.stop()
        target.stop()
    w, e = result["websocket"], result["event_stream"]
    print(f"\n| Resonance ({args.server}, sqlite, memory), workshop profile | p50 | p95 | p99 | max | n |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, row in (("WebSocket participants", w), ("event-stream readers", e)):
        print(
            f"| {name} | {row['p50']:.1f} | {row['p95']:.1f} | {row['p99']:.1f} | {row['max']:.1f} | {row['n']} |"
        )
    verdict = "met" if e["p99"] <= w["p99"] + 20 else "NOT met"
    print(
        f"\nevent-stream p99 <= WebSocket p99 + 20 ms: {verdict}; correctness: ws {w['ok']}, streams {e['ok']}"
    )
    if "idle" in result:
        idle = result["idle"]
        per = (idle["rss_after_kib"] - idle["rss_before_kib"]) / idle["streams"]
        idle["per_stream_kib"] = per
        print(
            f"idle: {idle['streams']} streams, RSS {idle['rss_before_kib'] / 1024:.1f} -> {idle['rss_after_kib'] / 1024:.1f} MiB, {per:.1f} KiB each"
        )
    print("\n" + json.dumps(result))


if __name__ == "__main__":
    main()
