"""Load generator: simulated workshop participants over WebSockets, in several processes.

Each participant connects to `/ws/boards/<id>/`, reads its snapshot, then sends
`note.add` ops at a Poisson rate while recording every op it receives. From that:

- latency: every delivery's send -> receipt time. The send time travels inside
  the `client_op_id` itself (see `stamped_op_id`), so a receiver in another
  process needs no shared map and the measure does not depend on how the server
  shapes `data`. CLOCK_MONOTONIC (time.monotonic) is one clock for every
  process on a Linux machine, so the subtraction is valid across processes.
- correctness (G3 in docs/sync-contract.md): every participant must receive every op
  of its board after its snapshot seq exactly once, in seq order, no gaps; every
  op sent must be acked. Anything else marks the run FAILED.

Participants are split round-robin over worker processes so that one Python
process is not the bottleneck and each board spans every worker (deliveries
cross processes). Each worker reports the CPU it used during the send window.

The main process and the workers run in lock step over pipes:
  worker: connected -> main: start at t0 -> worker: acked (max seq per board)
  -> main: final seq per board -> worker: done (summary after draining).
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import random
import time
import uuid
from array import array
from collections import Counter
from dataclasses import dataclass, field

try:
    import orjson

    loads = orjson.loads

    def dumps(obj) -> str:
        return orjson.dumps(obj).decode()
except ImportError:  # pragma: no cover
    import json

    loads, dumps = json.loads, json.dumps

DEFAULT_SECTIONS = ["says", "thinks", "does", "feels"]
CONNECT_CONCURRENCY = 50  # simultaneous handshakes per worker; a storm of 1000 helps no one
PIPE_TIMEOUT = 180.0  # no step of the lock step may take longer than this


@dataclass
class Participant:
    """Where one simulated person connects. `board` is the key ops are grouped by."""

    board: str
    url: str
    token: str | None = None
    origin: str | None = None


@dataclass
class LoadSpec:
    rate: float = 0.5  # ops per second per participant (Poisson)
    duration: float = 60.0  # seconds of sending
    workers: int = 2
    connect_timeout: float = 60.0
    ack_timeout: float = 15.0  # after the window, how long to wait for outstanding acks
    drain_timeout: float = 15.0  # then how long for every participant to reach the final seq
    start_delay: float = 1.0  # between "all connected" and t0, so every worker is ready
    seed: int = 1


# -- the send time rides in the client_op_id --------------------------------------------------


def stamped_op_id(now: float) -> str:
    """A valid version-4 UUID whose first 48 bits are `now` in microseconds.

    2**48 us is ~8.9 years of uptime, far beyond any CLOCK_MONOTONIC here. The
    version and variant bits sit outside those 48 bits, so the server sees an
    ordinary random-looking UUID.
    """
    raw = bytearray(int(now * 1e6).to_bytes(6, "big") + os.urandom(10))
    raw[6] = 0x40 | (raw[6] & 0x0F)
    raw[8] = 0x80 | (raw[8] & 0x3F)
    return str(uuid.UUID(bytes=bytes(raw)))


def stamp_of(op_id) -> float | None:
    try:
        return int(op_id.replace("-", "")[:12], 16) / 1e6
    except (AttributeError, ValueError):
        return None


# -- one participant inside a worker ------------------------------------------------------------


@dataclass
class State:
    spec: Participant
    ws: object = None
    snapshot_seq: int = 0
    sections: list = field(default_factory=lambda: list(DEFAULT_SECTIONS))
    last_seq: int = 0
    received: int = 0  # op frames received
    disorder: int = 0  # frames with seq <= last (duplicate or out of order)
    gaps: int = 0  # seqs skipped
    sent: int = 0
    acked: int = 0
    max_acked_seq: int = 0
    pending: dict = field(default_factory=dict)  # client_op_id -> send time
    errors: Counter = field(default_factory=Counter)
    closed: str | None = None


class Worker:
    def __init__(self, participants: list[Participant], spec: LoadSpec, index: int):
        self.spec = spec
        self.index = index
        self.states = [State(p) for p in participants]
        self.latencies = array("d")  # delivery latency, seconds
        self.ack_latencies = array("d")
        self.max_lag = 0.0  # how late the Poisson schedule fired: the loadgen keeping up or not
        self.window = (0.0, float("inf"))  # t0, t_end: only ops sent in it are timed
        self.connect_errors: Counter = Counter()
        # Deliveries that arrived before the send window closed: under overload many
        # arrive during the drain, and counting those would overstate throughput.
        self.in_window = 0
        self.closing = False  # set when we close the sockets ourselves, at the end

    async def connect(self, st: State, gate: asyncio.Semaphore) -> None:
        from websockets.asyncio.client import connect

        headers = [("Authorization", f"Token {st.spec.token}")] if st.spec.token else None
        async with gate:
            try:
                st.ws = await connect(
                    st.spec.url,
                    additional_headers=headers,
                    origin=st.spec.origin,
                    proxy=None,  # straight to 127.0.0.1, whatever the environment's proxy says
                    compression=None,  # no permessage-deflate: measure the relay, not zlib
                    ping_interval=None,  # the server pings; the client only answers
                    max_size=2**22,
                    open_timeout=self.spec.connect_timeout,
                    close_timeout=2,
                )
                first = await self.first_snapshot(st.ws)
            except Exception as exc:  # noqa: BLE001 - counted and reported, never hidden
                self.connect_errors[type(exc).__name__ + ": " + str(exc)[:120]] += 1
                st.ws = None
                return
        st.snapshot_seq = st.last_seq = int(first.get("seq") or 0)
        keys = [s.get("key") for s in (first.get("board") or {}).get("sections") or [] if isinstance(s, dict)]
        if any(keys):
            st.sections = [k for k in keys if k]

    async def first_snapshot(self, ws) -> dict:
        """The snapshot, skipping ephemeral frames (presence...) a server may send first.

        Anything carrying a seq before the snapshot breaks the contract."""
        deadline = time.monotonic() + self.spec.connect_timeout
        for _ in range(20):
            frame = loads(await asyncio.wait_for(ws.recv(), max(0.1, deadline - time.monotonic())))
            if frame.get("type") == "snapshot":
                return frame
            if "seq" in frame:
                raise ValueError(f"{frame.get('type')!r} with a seq came before the snapshot")
        raise ValueError("no snapshot in the first 20 frames")

    async def receive(self, st: State) -> None:
        t0, t_end = self.window
        try:
            async for raw in st.ws:
                now = time.monotonic()
                msg = loads(raw)
                kind = msg.get("type")
                if kind == "op":
                    seq = msg.get("seq") or 0
                    st.received += 1
                    if now <= t_end:
                        self.in_window += 1
                    if seq == st.last_seq + 1:
                        st.last_seq = seq
                    elif seq <= st.last_seq:
                        st.disorder += 1
                    else:
                        st.gaps += seq - st.last_seq - 1
                        st.last_seq = seq
                    sent = stamp_of(msg.get("client_op_id"))
                    if sent is not None and t0 <= sent <= t_end:
                        self.latencies.append(now - sent)
                elif kind == "ack":
                    sent = st.pending.pop(msg.get("client_op_id"), None)
                    if sent is not None:
                        st.acked += 1
                        st.max_acked_seq = max(st.max_acked_seq, msg.get("seq") or 0)
                        self.ack_latencies.append(now - sent)
                elif kind == "error":
                    st.pending.pop(msg.get("client_op_id"), None)
                    st.errors[msg.get("code") or "?"] += 1
                # heartbeat, presence and the rest: nothing to check here; the final
                # seq comparison after the run catches anything a heartbeat would.
        except Exception as exc:  # noqa: BLE001
            if not self.closing:
                st.closed = type(exc).__name__
        else:
            if not self.closing:
                st.closed = f"closed by the server (code {st.ws.close_code})"

    async def send_ops(self, st: State, rng: random.Random) -> None:
        t0, t_end = self.window
        rate = self.spec.rate
        due = t0 + rng.expovariate(rate)
        n = 0
        while due < t_end and st.closed is None:
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            now = time.monotonic()
            self.max_lag = max(self.max_lag, now - due)
            op_id = stamped_op_id(now)
            n += 1
            frame = {
                "type": "op",
                "op": "note.add",
                "client_op_id": op_id,
                "data": {"section": rng.choice(st.sections), "text": f"bench w{self.index} #{n}"},
            }
            st.pending[op_id] = now
            st.sent += 1
            try:
                await st.ws.send(dumps(frame))
            except Exception as exc:  # noqa: BLE001
                st.closed = type(exc).__name__
                return
            due += rng.expovariate(rate)

    async def wait_until(self, done, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not done() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)

    async def main(self, conn) -> None:
        loop = asyncio.get_running_loop()

        def recv_pipe():
            if not conn.poll(PIPE_TIMEOUT):
                raise TimeoutError("no word from the load generator's main process")
            return conn.recv()

        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
        await asyncio.gather(*(self.connect(st, gate) for st in self.states))
        live = [st for st in self.states if st.ws is not None]
        conn.send(("connected", len(live), dict(self.connect_errors)))

        _, t0 = await loop.run_in_executor(None, recv_pipe)
        t_end = t0 + self.spec.duration
        self.window = (t0, t_end)
        receivers = [asyncio.create_task(self.receive(st)) for st in live]
        rng = random.Random(self.spec.seed * 1000 + self.index)
        await asyncio.sleep(max(0.0, t0 - time.monotonic()))
        cpu0 = time.process_time()
        senders = [asyncio.create_task(self.send_ops(st, random.Random(rng.random()))) for st in live]
        await asyncio.sleep(max(0.0, t_end - time.monotonic()))
        cpu = time.process_time() - cpu0
        await asyncio.gather(*senders)

        await self.wait_until(lambda: all(not st.pending or st.closed for st in live), self.spec.ack_timeout)
        max_acked: dict[str, int] = {}
        for st in live:
            max_acked[st.spec.board] = max(max_acked.get(st.spec.board, 0), st.max_acked_seq, st.last_seq)
        conn.send(("acked", max_acked, cpu))

        _, final = await loop.run_in_executor(None, recv_pipe)
        await self.wait_until(
            lambda: all(st.last_seq >= final.get(st.spec.board, 0) or st.closed for st in live),
            self.spec.drain_timeout,
        )
        self.closing = True
        await asyncio.gather(*(st.ws.close() for st in live), return_exceptions=True)
        for task in receivers:
            task.cancel()
        conn.send(("done", self.summary()))

    def summary(self) -> dict:
        return {
            "participants": [
                {
                    "board": st.spec.board,
                    "connected": st.ws is not None,
                    "snapshot_seq": st.snapshot_seq,
                    "last_seq": st.last_seq,
                    "received": st.received,
                    "disorder": st.disorder,
                    "gaps": st.gaps,
                    "sent": st.sent,
                    "acked": st.acked,
                    "unacked": len(st.pending),
                    "errors": dict(st.errors),
                    "closed": st.closed,
                }
                for st in self.states
            ],
            "latencies": self.latencies.tobytes(),
            "ack_latencies": self.ack_latencies.tobytes(),
            "max_lag": self.max_lag,
            "in_window": self.in_window,
        }


def _worker_entry(conn, participants, spec, index) -> None:
    try:
        asyncio.run(Worker(participants, spec, index).main(conn))
    except Exception as exc:  # noqa: BLE001 - the main process must hear about it, not hang
        conn.send(("crashed", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


# -- the main process ----------------------------------------------------------------------------


class LoadgenError(RuntimeError):
    pass


def _expect(conn, kind: str, proc) -> tuple:
    if not conn.poll(PIPE_TIMEOUT):
        raise LoadgenError(f"worker {proc.name} said nothing for {PIPE_TIMEOUT:.0f} s (waiting for {kind})")
    message = conn.recv()
    if message[0] != kind:
        raise LoadgenError(f"worker {proc.name}: expected {kind!r}, got {message!r:.300}")
    return message


def percentile(sorted_values, q: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def run(participants: list[Participant], spec: LoadSpec, on_start=None, on_end=None) -> dict:
    """Drive `participants` for one window; return figures and the correctness verdict.

    on_start / on_end are called in this process at t0 and at the end of the send
    window (the harness samples the server's CPU there).
    """
    ctx = mp.get_context("spawn")  # no inherited threads or sockets from the harness
    n_workers = max(1, min(spec.workers, len(participants)))
    shares = [participants[i::n_workers] for i in range(n_workers)]
    procs, conns = [], []
    try:
        for i, share in enumerate(shares):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_worker_entry, args=(child, share, spec, i), name=f"loadgen-{i}")
            proc.start()
            child.close()
            procs.append(proc)
            conns.append(parent)

        connected, connect_errors = 0, Counter()
        for conn, proc in zip(conns, procs, strict=True):
            _, n, errors = _expect(conn, "connected", proc)
            connected += n
            connect_errors.update(errors)

        t0 = time.monotonic() + spec.start_delay
        for conn in conns:
            conn.send(("start", t0))
        time.sleep(max(0.0, t0 - time.monotonic()))
        if on_start:
            on_start()
        time.sleep(max(0.0, t0 + spec.duration - time.monotonic()))
        if on_end:
            on_end()

        final: dict[str, int] = {}
        cpu = []
        for conn, proc in zip(conns, procs, strict=True):
            _, max_acked, cpu_s = _expect(conn, "acked", proc)
            cpu.append(cpu_s)
            for board, seq in max_acked.items():
                final[board] = max(final.get(board, 0), seq)
        for conn in conns:
            conn.send(("final", final))
        summaries = [_expect(conn, "done", proc)[1] for conn, proc in zip(conns, procs, strict=True)]
    finally:
        for proc in procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()  # our own child, by its handle
                proc.join(timeout=5)
    return _tally(participants, spec, final, summaries, cpu, connected, connect_errors)


def _tally(participants, spec, final, summaries, cpu, connected, connect_errors) -> dict:
    people = [p for s in summaries for p in s["participants"]]
    # A board's final seq: the highest acked (known when the drain began) or the
    # highest anyone received during the drain (a server running behind applies
    # ops after the ack wait). Every connection of the board owes every op up to it.
    final = dict(final)
    for p in people:
        final[p["board"]] = max(final.get(p["board"], 0), p["last_seq"])
    expected = received = incomplete = disorder = gaps = sent = acked = unacked = 0
    errors, closed = Counter(), Counter()
    for p in people:
        sent += p["sent"]
        acked += p["acked"]
        unacked += p["unacked"]
        errors.update(p["errors"])
        if p["closed"]:
            closed[p["closed"]] += 1
        if not p["connected"]:
            continue
        want = final.get(p["board"], 0) - p["snapshot_seq"]
        expected += want
        received += p["received"]
        disorder += p["disorder"]
        gaps += p["gaps"]
        if p["received"] != want or p["disorder"] or p["gaps"] or p["last_seq"] != final.get(p["board"], 0):
            incomplete += 1

    latencies = array("d")
    ack_latencies = array("d")
    for s in summaries:
        latencies.frombytes(s["latencies"])
        ack_latencies.frombytes(s["ack_latencies"])
    lat = sorted(latencies)
    ack = sorted(ack_latencies)

    problems = []
    if connected < len(participants):
        problems.append(
            f"{len(participants) - connected} of {len(participants)} participants did not connect"
        )
    if received < expected:
        problems.append(f"{expected - received} deliveries lost or later than the drain")
    if received > expected:
        problems.append(f"{received - expected} deliveries beyond the expected ones")
    if disorder or gaps:
        problems.append(f"{disorder} duplicate/out-of-order frames, {gaps} seqs skipped")
    if incomplete:
        problems.append(f"{incomplete} participants did not receive exactly every op in order")
    if unacked:
        waited = spec.ack_timeout + spec.drain_timeout
        problems.append(f"{unacked} ops not acked within {waited:.0f} s of the window's end")
    if errors:
        problems.append(f"errors: {dict(errors)}")
    if closed:
        problems.append(f"sockets closed early: {dict(closed)}")

    duration = spec.duration
    return {
        "ok": not problems,
        "problems": problems,
        "connect_errors": dict(connect_errors),
        "participants": len(participants),
        "connected": connected,
        "boards": len(final) or len({p.board for p in participants}),
        "rate": spec.rate,
        "duration": duration,
        "sent": sent,
        "acked": acked,
        "expected": expected,
        "received": received,
        "ops_per_s": acked / duration,
        # Throughput counts only what arrived inside the window (the CPU columns
        # cover the same window); "received" above includes the drain.
        "deliveries_per_s": sum(s["in_window"] for s in summaries) / duration,
        "latency_ms": {
            "n": len(lat),
            "p50": percentile(lat, 0.50) * 1000,
            "p95": percentile(lat, 0.95) * 1000,
            "p99": percentile(lat, 0.99) * 1000,
            "max": (lat[-1] * 1000) if lat else float("nan"),
        },
        "ack_ms": {"p50": percentile(ack, 0.50) * 1000, "p99": percentile(ack, 0.99) * 1000},
        "loadgen_cpu_pct": 100 * sum(cpu) / duration,
        "loadgen_cpu_max_worker_pct": 100 * max(cpu) / duration if cpu else 0.0,
        "loadgen_workers": len(cpu),
        "loadgen_max_lag_ms": 1000 * max((s["max_lag"] for s in summaries), default=0.0),
    }
