"""Faults on the production shape (deploy/local-stack: nginx, two app processes,
PostgreSQL, Redis), each while clients write through nginx as browsers would.

Every test is bounded in time and marked `faults` (run them alone with
`-m faults`). The clients are tests/boards/simclient.py's, with a browser's
habits added: reconnect through nginx with `since=`, re-send the outbox. The
figures each test prints (heal times, memory) are recorded in BENCHMARKS.md.
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
import time
import urllib.error
import urllib.request

import pytest
import websockets

from tests.boards.simclient import FINAL_ERRORS, SocketClient, call
from tests.support.stack import facilitator_token

pytestmark = pytest.mark.faults

# Between two ops of one client: 20 clients make about 13 ops/s, well inside what
# two processes on a shared 2-core machine apply.
ACT_EVERY = 1.5
CONVERGE_SECONDS = 5


class BrowserLikeClient(SocketClient):
    """A SocketClient that lives through faults as the board page does."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.acked: dict[str, int] = {}
        self.retryable_errors: list[dict] = []
        self.disconnects = 0
        self.next_act = 0.0
        self.behind = False
        self.gap_repairs = 0

    def handle(self, frame):
        if frame["type"] == "heartbeat" and self.state is not None and frame["seq"] > self.state["seq"]:
            # The page's gap repair (docs/protocol.md): behind the board, so fetch
            # what was missed by reconnecting with since=.
            self.behind = True
        if frame["type"] == "ack":
            self.acked[frame["client_op_id"]] = frame["seq"]
        if frame["type"] == "error" and frame.get("code") not in FINAL_ERRORS:
            # Not the op's fault (the server could not take it now): it stays in
            # the outbox and goes again after the next reconnect.
            self.retryable_errors.append(frame)
            return
        super().handle(frame)

    async def live(self, room) -> None:
        """Until the room ends: (re)connect when needed, read every frame as it
        comes, and write an op every ACT_EVERY seconds or so while the room writes."""
        loop = asyncio.get_running_loop()
        while not room.ended:
            if not self.connected:
                try:
                    await self.open()
                except Exception:
                    self.connected = False
                    await asyncio.sleep(0.2 + self.rng.random() * 0.3)
                    continue
            try:
                writing = room.acting and self.state is not None
                if writing and loop.time() >= self.next_act:
                    self.next_act = loop.time() + ACT_EVERY * (0.5 + self.rng.random())
                    await self.act()
                wait = self.next_act - loop.time() if writing else 0.5
                try:
                    text = await asyncio.wait_for(self.ws.recv(), timeout=max(wait, 0.01))
                except TimeoutError:
                    continue
                self.handle(json.loads(text))
                if self.behind:
                    self.behind = False
                    self.gap_repairs += 1
                    await self.drop()
            except (websockets.ConnectionClosed, OSError):
                self.connected = False
                self.disconnects += 1

    async def resend_outbox(self) -> None:
        if self.connected and self.outbox:
            for frame in list(self.outbox.values()):
                try:
                    await self._send(json.dumps(frame))
                except (websockets.ConnectionClosed, OSError):
                    self.connected = False
                    return


class Room:
    """A workshop on the stack with `size` guests writing through nginx."""

    def __init__(self, stack, size, seed):
        self.stack = stack
        self.token = facilitator_token(stack)
        workshop = call(
            stack, "/api/v1/workshops/", {"title": "Faults", "template": "empathy-map"}, self.token
        )
        self.board_id = workshop["boards"][0]["id"]
        rng = random.Random(seed)
        tokens = guest_tokens(stack, workshop["id"], size)
        self.clients = [
            BrowserLikeClient(f"guest-{i}", stack, self.board_id, token, random.Random(rng.random()))
            for i, token in enumerate(tokens)
        ]
        self.acting = True
        self.ended = False
        self._tasks = []

    async def __aenter__(self):
        self._tasks = [asyncio.create_task(client.live(self)) for client in self.clients]
        return self

    async def __aexit__(self, *exc):
        self.ended = True
        for task in self._tasks:
            task.cancel()
        outcomes = await asyncio.gather(*self._tasks, return_exceptions=True)
        for client in self.clients:
            if client.ws is not None:
                client.ws.transport.abort()
        for outcome in outcomes:  # a client that broke (e.g. saw a gap in the ops) fails the test
            if isinstance(outcome, BaseException) and not isinstance(outcome, asyncio.CancelledError):
                raise outcome

    def snapshot(self):
        snapshot = call(self.stack, f"/api/v1/boards/{self.board_id}/", token=self.token)
        snapshot.pop("server_now", None)
        return snapshot

    async def converged_within(self, seconds: float) -> float:
        """Stop writing; seconds until every client equals the database (fails past `seconds`)."""
        self.acting = False
        started = time.monotonic()
        differing = []
        while time.monotonic() - started < seconds:
            for client in self.clients:
                await client.resend_outbox()
            try:
                snapshot = await asyncio.to_thread(self.snapshot)
            except (urllib.error.URLError, OSError):
                await asyncio.sleep(0.2)
                continue
            differing = [
                (c.name, c.connected, len(c.outbox), c.state and c.state["seq"])
                for c in self.clients
                if c.outbox or c.state != snapshot
            ]
            if not differing:
                return time.monotonic() - started
            await asyncio.sleep(0.25)
        raise AssertionError(
            f"not equal to the database {seconds} s after the writing stopped "
            f"(board seq {snapshot['seq']}): (name, connected, outbox, seq) {differing}"
        )

    def assert_no_acked_op_lost(self) -> int:
        """Every acked op is in the log at its acked seq; the log is 1..n with no doubles (G1, G2, G4)."""
        logged, since = [], 0
        while True:
            page = call(self.stack, f"/api/v1/boards/{self.board_id}/ops/?since={since}", token=self.token)[
                "ops"
            ]
            if not page:
                break
            logged += page
            since = page[-1]["seq"]
        assert [op["seq"] for op in logged] == list(range(1, len(logged) + 1))
        by_id = {op["client_op_id"]: op["seq"] for op in logged}
        assert len(by_id) == len(logged), "an op was applied twice"
        acked = {cid: seq for c in self.clients for cid, seq in c.acked.items()}
        lost = {cid: seq for cid, seq in acked.items() if by_id.get(cid) != seq}
        assert not lost, f"{len(lost)} acked ops are not in the log at their seq: {list(lost.items())[:5]}"
        return len(acked)


GUESTS = """
from boards.models import Workshop
from boards.workshops import join_workshop
code = Workshop.objects.get(id={workshop_id}).join_code
for i in range({count}):
    print(join_workshop(code, f"Guest {{i}}").token)
"""


def guest_tokens(stack, workshop_id, count) -> list[str]:
    """Tokens of `count` guests, joined in one go: the join throttle (30 a minute per
    address) would stop them through nginx, where every client here is 127.0.0.1."""
    out = stack.manage("shell", "-c", GUESTS.format(workshop_id=workshop_id, count=count))
    tokens = out.split()[-count:]
    assert len(tokens) == count
    return tokens


async def run_storm(room, before: float, fault, after: float, converge_s: float = CONVERGE_SECONDS) -> dict:
    """Write for `before` s, inject `fault` (an async callable returning its own figures),
    write for `after` s more, then wait for convergence. Returns the figures."""
    async with room:
        await asyncio.sleep(before)
        figures = await fault()
        healed_at = time.monotonic()
        await asyncio.sleep(after)
        figures["converged_s"] = round(await room.converged_within(converge_s), 2)
        figures["writing_after_heal_s"] = round(time.monotonic() - healed_at, 1)
    figures["acked_ops"] = room.assert_no_acked_op_lost()
    assert figures["acked_ops"] > 0, "no op was acked: the storm did not write"
    figures["disconnects"] = sum(c.disconnects for c in room.clients)
    figures["gap_repairs"] = sum(c.gap_repairs for c in room.clients)
    return figures


def report(name, figures):
    # -s shows these; BENCHMARKS.md records them.
    print(f"\nFAULT {name}: {json.dumps(figures)}")


def healthz(url) -> tuple[int, dict]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url + "/healthz", timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


# --- the faults ------------------------------------------------------------------


async def test_the_storm_alone_converges(stack):
    # The control: the same room and writing with no fault at all.
    room = await asyncio.to_thread(Room, stack, 20, 0)

    async def no_fault():
        return {}

    figures = await run_storm(room, before=4, fault=no_fault, after=4)
    report("none (control)", figures)


async def test_kill_9_of_one_app_process_loses_no_acked_op(stack):
    room = await asyncio.to_thread(Room, stack, 20, 1)

    async def fault():
        started = time.monotonic()
        await asyncio.to_thread(stack.stop, "app-1")  # SIGKILL
        return {"killed_in_s": round(time.monotonic() - started, 2)}

    figures = await run_storm(room, before=4, fault=fault, after=4)
    report("kill -9 app-1", figures)
    assert figures["disconnects"] > 0  # the fault did reach clients


async def test_a_redis_restart_mid_storm_loses_no_acked_op_and_strands_no_one(stack):
    room = await asyncio.to_thread(Room, stack, 20, 2)

    async def fault():
        await asyncio.to_thread(stack.stop, "redis")
        await asyncio.sleep(2)
        started = time.monotonic()
        await asyncio.to_thread(stack.start, "redis")
        # Healed when both processes say so again.
        while any(healthz(url)[0] != 200 for url in stack.app_urls):
            await asyncio.sleep(0.1)
        return {"redis_down_s": 2, "healthz_back_after_s": round(time.monotonic() - started, 2)}

    figures = await run_storm(room, before=4, fault=fault, after=5)
    report("Redis restart", figures)


async def test_a_postgresql_restart_mid_storm_answers_errors_and_recovers_without_restarts(stack):
    room = await asyncio.to_thread(Room, stack, 20, 3)
    pids = {part: stack.pid(part) for part in ("app-1", "app-2")}

    async def fault():
        await asyncio.to_thread(stack.stop, "postgres")
        down_at = time.monotonic()
        try:
            # Probes name the database while it is gone.
            for url in stack.app_urls:
                status, body = await asyncio.to_thread(healthz, url)
                assert status == 503, body
                assert body["database"] is False
                assert any("DATABASE_URL" in problem for problem in body["problems"]), body
            # An op sent now is answered with an error naming it, not acked, not dropped.
            probe = next(c for c in room.clients if c.connected)
            errors_before = len(probe.retryable_errors)
            await probe.act()
            probe_id, sent_at = list(probe.outbox)[-1], time.monotonic()
            answered = False
            while time.monotonic() - sent_at < 15 and not answered:
                await asyncio.sleep(0.2)
                answered = any(
                    e.get("client_op_id") == probe_id for e in probe.retryable_errors[errors_before:]
                )
            assert answered, "an op sent while PostgreSQL was down got no error frame within 15 s"
            assert probe_id not in probe.acked
        finally:
            # Back up whatever happened above: the stack is shared by the next tests.
            await asyncio.to_thread(stack.start, "postgres")
        started = time.monotonic()
        while True:
            answers = [(await asyncio.to_thread(healthz, url))[0] for url in stack.app_urls]
            if all(status == 200 for status in answers):
                break
            await asyncio.sleep(0.1)
        return {
            "postgres_down_s": round(started - down_at, 1),
            "healthz_back_after_s": round(time.monotonic() - started, 2),
        }

    # After a database outage a connection that missed ops learns of them from
    # the next heartbeat (every WS_HEARTBEAT_SECONDS, 10 s): the bound covers one.
    figures = await run_storm(room, before=4, fault=fault, after=5, converge_s=3 * CONVERGE_SECONDS)
    figures["retryable_errors"] = sum(len(c.retryable_errors) for c in room.clients)
    report("PostgreSQL restart", figures)
    # The same processes served on: nothing had to be restarted.
    assert {part: stack.pid(part) for part in pids} == pids
    assert figures["retryable_errors"] > 0


async def test_a_client_that_never_reads_slows_no_one_and_memory_stays_bounded(stack):
    room = await asyncio.to_thread(Room, stack, 4, 4)
    # A socket whose reader is stopped: websockets stops reading from TCP once
    # its small queue is full, so the server's writes back up as with a frozen tab.
    token = room.clients[0].token
    silent = await websockets.connect(
        f"{stack.ws_url}/ws/boards/{room.board_id}/",
        additional_headers={"Origin": stack.origin, "Authorization": f"Token {token}"},
        max_queue=1,
    )
    silent.transport.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    pids = [stack.pid("app-1"), stack.pid("app-2")]
    memory_before = [rss_kib(pid) for pid in pids]
    big_text = "x" * 1900  # notes hold at most 2,000 characters (README, "Limits")
    async with room:
        await asyncio.sleep(1)
        # ~0.5 MB of ops the silent client never takes, from every writer within
        # the per-participant pace (60 each, inside one burst).
        for _ in range(60):
            for writer in room.clients:
                frame = writer.next_op()
                frame["op"], frame["data"] = "note.add", {"section": "says", "text": big_text}
                writer.outbox[frame["client_op_id"]] = frame
                try:
                    await writer._send(json.dumps(frame))
                except (websockets.ConnectionClosed, OSError):
                    writer.connected = False
            await asyncio.sleep(0.05)
        converged_s = await room.converged_within(CONVERGE_SECONDS * 3)
    memory_after = [rss_kib(pid) for pid in pids]
    # Whether the server has cut the silent socket off yet depends on how much the
    # kernel's and nginx's buffers hold before uvicorn's writes wait: through
    # nginx, 0.5 MB did not get that far here. The cut-off itself (4008, the hub
    # never waiting) is proven in tests/boards/test_consumer_limits.py.
    silent.transport.abort()
    growth_mib = [
        round((after - before) / 1024, 1) for before, after in zip(memory_before, memory_after, strict=True)
    ]
    report(
        "never-reading client", {"others_converged_s": round(converged_s, 2), "rss_growth_mib": growth_mib}
    )
    room.assert_no_acked_op_lost()
    assert max(growth_mib) < 100, f"server memory grew by {growth_mib} MiB"


async def test_200_clients_reconnecting_at_once_with_since_all_catch_up(stack):
    token = await asyncio.to_thread(facilitator_token, stack)
    workshop = call(stack, "/api/v1/workshops/", {"title": "Wi-Fi blip", "template": "empathy-map"}, token)
    board_id = workshop["boards"][0]["id"]
    tokens = await asyncio.to_thread(guest_tokens, stack, workshop["id"], 200)
    headers = [{"Origin": stack.origin, "Authorization": f"Token {t}"} for t in tokens]
    url = f"{stack.ws_url}/ws/boards/{board_id}/"

    async def connect(address, header):
        # As the page does: a refused handshake (nginx's 502 while a process is
        # busy) is retried after a short pause; the 10 s bound below includes it.
        for attempt in range(20):
            try:
                return await websockets.connect(address, additional_headers=header, open_timeout=10)
            except (websockets.InvalidStatus, OSError):
                if attempt == 19:
                    raise
                await asyncio.sleep(0.2 + random.random() * 0.3)

    async def first_frame(ws, kinds):
        while True:
            frame = json.loads(await ws.recv())
            if frame["type"] in kinds:
                return frame

    # Everyone in, everyone at the same seq.
    sockets = []
    for i in range(0, 200, 20):
        batch = await asyncio.gather(*(connect(url, h) for h in headers[i : i + 20]))
        sockets += batch
    seqs = [(await first_frame(ws, {"snapshot"}))["seq"] for ws in sockets]
    for ws in sockets:
        ws.transport.abort()  # the Wi-Fi goes
    # The room writes on while they are away.
    for i in range(30):
        call(
            stack,
            f"/api/v1/boards/{board_id}/ops/",
            {
                "op": "note.add",
                "client_op_id": f"blip-{i}",
                "data": {"section": "says", "text": f"while away {i}"},
            },
            token,
        )
    target = call(stack, f"/api/v1/boards/{board_id}/", token=token)["seq"]

    async def catch_up(header, since):
        ws = await connect(f"{url}?since={since}", header)
        try:
            seq = since
            while seq < target:
                frame = json.loads(await ws.recv())
                if frame["type"] == "op":
                    assert frame["seq"] == seq + 1, f"gap: {seq} then {frame['seq']}"
                    seq = frame["seq"]
                elif frame["type"] == "snapshot":
                    seq = frame["seq"]
            return ws
        except BaseException:
            ws.transport.abort()
            raise

    started = time.monotonic()
    async with asyncio.timeout(10):
        back = await asyncio.gather(*(catch_up(h, s) for h, s in zip(headers, seqs, strict=True)))
    elapsed = time.monotonic() - started
    for ws in back:
        ws.transport.abort()
    report("200 reconnect at once", {"all_caught_up_s": round(elapsed, 2), "ops_missed": target - seqs[0]})
