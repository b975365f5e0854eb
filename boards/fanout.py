"""Fan-out once per process: one hub per board per server process.

A hub holds this process's connections of one board. It is the board's only
subscriber in the process: one channel of its own, added to the board's group
when the first local connection opens and discarded when the last one closes.
Each op that reaches it is decoded once and encoded once per visibility class
(boards/visibility.py: `op_for` gives the same view to every viewer whose id
the op does not mention and whose settings are the same), then handed to each
connection whose turn it is (G3: exactly once, in seq order, gaps filled from
the op log, once for all the hub's connections).

A connection is anything with the `Connection` attributes below: the WebSocket
consumer today, a server-sent-events stream next. Transports know nothing of
the channel layer; the hub knows nothing of sockets.

Two loops per hub, each restarted if it ever dies: the receive loop (channel
layer to connections) and the beat (every WS_HEARTBEAT_SECONDS: read the
board's seq once, fill what the layer lost, send each connection a heartbeat,
re-announce this process's presence roster). While the layer is unreachable
(Redis down) the beat polls the log every second instead, so ops still flow,
and the receive loop re-subscribes as soon as the layer answers again.

Presence is a roster per process (who has a connection here), not a greeting
per pair of connections: a room-wide reconnect costs one roster message per
process, and presence frames are sent at most every PRESENCE_DELAY seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import logging
import random
import time
from typing import Protocol

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from boards import broadcast, visibility
from boards.models import Board
from boards.ops import ops_after
from boards.state import board_snapshot

logger = logging.getLogger(__name__)

# Ops kept in memory per hub for connections that open or lag a little
# (a late joiner's ops since its snapshot, a gap): beyond this, the log.
RECENT_OPS = 512
# How long a batch of presence changes waits before it is sent: a roomful of
# sockets opening at once gives one presence frame each, not one per newcomer.
PRESENCE_DELAY = 0.2
# A process's roster is dropped by the others when it has not been re-announced
# for this many heartbeat intervals (the process was killed).
ROSTER_LIFETIME_BEATS = 3
# While the channel layer fails, how often the log is polled and the layer retried.
DEGRADED_POLL_SECONDS = 1.0
# An id no participant has: the viewer of a visibility class (see _class_of).
NOBODY = -1


class Connection(Protocol):
    """What the hub needs of one connection (a WebSocket, an event stream)."""

    viewer: visibility.Viewer  # updated by the hub as ops are delivered
    last_seq: int | None  # None until the connection has its initial state
    who: dict  # visibility.who() of its participant: its presence entry
    removed: bool

    async def deliver(self, frame: str) -> None:
        """Sends one frame of text; raises if the connection is gone."""

    async def removed_from_workshop(self) -> None:
        """The op just delivered removed its participant: close."""

    async def board_deleted(self) -> None:
        """The workshop was deleted (lifecycle/sockets.py): nothing is left to show; close."""


def _ints_in(value, found: set) -> set:
    if isinstance(value, dict):
        for item in value.values():
            _ints_in(item, found)
    elif isinstance(value, list):
        for item in value:
            _ints_in(item, found)
    elif isinstance(value, int):
        found.add(value)
    return found


def _class_of(viewer: visibility.Viewer, mentioned: set) -> visibility.Viewer:
    """The visibility class of a viewer for one op.

    `op_for` uses the viewer's id only to compare it with ids in the op. When
    the viewer's id is nowhere in the op, every comparison comes out as for an
    id that matches nothing (NOBODY), so all such viewers with the same
    settings and role get the same view: one encoding serves them all. A
    viewer the op mentions (its author, voter, the participant concerned) is
    its own class.
    """
    if viewer.id is None or viewer.id in mentioned:
        return viewer
    return _anyone_like(viewer)


@functools.lru_cache(maxsize=4096)
def _anyone_like(viewer: visibility.Viewer) -> visibility.Viewer:
    # dataclasses.replace is slow enough to show in a profile at 25 recipients an op.
    return dataclasses.replace(viewer, id=NOBODY)


class BoardHub:
    def __init__(self, board_id: int, layer, loop):
        self.board_id = board_id
        self.layer = layer
        self.loop = loop
        self.group = broadcast.group_name(board_id)
        self.connections: dict = {}  # insertion-ordered set
        self.lock = asyncio.Lock()  # one delivery at a time: G3's order
        self.recent: dict[int, dict] = {}
        self.channel: str | None = None
        self.subscribed = False
        self.closed = False
        self.rosters: dict[str, tuple[float, list[dict]]] = {}  # other processes' people here
        self.tasks: dict[str, asyncio.Task] = {}
        self.presence_task: asyncio.Task | None = None
        self.beats = 0

    # --- connections ------------------------------------------------------------------

    def add(self, conn) -> None:
        self.connections[conn] = None
        if not self.tasks:
            self._start("receive", self._receive_loop)
            self._start("beat", self._beat_loop)
        self._presence_changed()

    async def remove(self, conn) -> None:
        self.connections.pop(conn, None)
        if self.connections:
            self._presence_changed()
            return
        # The last local connection of the board: stop listening to it here.
        self.closed = True
        if _hubs.get(self.board_id) is self:
            del _hubs[self.board_id]
        for task in self.tasks.values():
            task.cancel()
        if self.presence_task is not None:
            self.presence_task.cancel()
        if self.channel is not None and self.subscribed:
            await self._layer_call(self.layer.group_discard(self.group, self.channel))
            await self._layer_call(self._roster_message([]))

    async def open(self, conn, since: int | None) -> None:
        """Sends a new connection its initial state, then what the hub delivered meanwhile."""
        kind, payload, seq = await database_sync_to_async(_initial_state)(self.board_id, since)
        async with self.lock:
            if kind == "snapshot":
                await self._send_snapshot([conn], payload)
            else:
                conn.last_seq = seq
                for event in payload:
                    self._remember(event)
                    await self._fanout(event, None, [conn])
            newest = max(self.recent, default=0)
            if newest > conn.last_seq:
                for event in await self._events(conn.last_seq, newest):
                    await self._fanout(event, None, [conn])
            if kind == "ops":
                await self._send(conn, _heartbeat(conn.last_seq))

    async def catch_up(self, conn) -> None:
        """A ping: the ops this connection has not had, now, then a heartbeat."""
        seq = await database_sync_to_async(_board_seq)(self.board_id)
        async with self.lock:
            if seq is not None and conn.last_seq is not None and seq > conn.last_seq:
                for event in await self._events(conn.last_seq, seq):
                    await self._fanout(event, None, [conn])
            if conn.last_seq is not None:
                await self._send(conn, _heartbeat(conn.last_seq))

    async def typing(self, conn, section: str) -> None:
        """A typing hint: to this process's other connections now, to the others through the layer."""
        await self._typing_here(conn.who, section, skip=conn)
        if self.subscribed:
            message = {
                "type": "presence.typing",
                "process": self.channel,
                "who": conn.who,
                "section": section,
            }
            await self._layer_call(self.layer.group_send(self.group, message))

    # --- delivery -----------------------------------------------------------------------

    async def _on_op(self, event: dict, text: str | None) -> None:
        async with self.lock:
            self._remember(event)
            seq = event["seq"]
            behind = [c.last_seq for c in self.connections if c.last_seq is not None and c.last_seq < seq]
            if not behind:
                return  # delivered already (a late or repeated message)
            lowest = min(behind)
            if lowest + 1 < seq:  # a gap: fill it once for every connection that has it
                for earlier in await self._events(lowest, seq - 1):
                    await self._fanout(earlier, None)
            await self._fanout(event, text)

    async def _events(self, after: int, upto: int) -> list[dict]:
        """Ops after..upto, from memory when the hub has them all, else from the log."""
        wanted = range(after + 1, upto + 1)
        if all(seq in self.recent for seq in wanted):
            return [self.recent[seq] for seq in wanted]
        events = await database_sync_to_async(ops_after)(self.board_id, after, upto)
        for event in events:
            self._remember(event)
        return events

    def _remember(self, event: dict) -> None:
        self.recent[event["seq"]] = event
        if len(self.recent) > RECENT_OPS:
            for seq in sorted(self.recent)[: len(self.recent) - RECENT_OPS]:
                del self.recent[seq]

    async def _fanout(self, event: dict, text: str | None, conns=None) -> None:
        """Sends one op to each given connection whose next op it is (all of them by default).

        `text` is the op encoded as it was broadcast: the frame of every
        viewer `op_for` leaves it whole for.
        """
        seq = event["seq"]
        frames: dict = {}
        mentioned = None
        resync = []
        for conn in list(self.connections if conns is None else conns):
            if conn.last_seq is None or conn.last_seq != seq - 1 or conn.removed:
                continue
            after = visibility.follow(conn.viewer, event)
            viewer = after or conn.viewer
            if mentioned is None:
                mentioned = _ints_in(event, set())
            key = _class_of(viewer, mentioned)
            frame = frames.get(key)
            if frame is None:
                view = visibility.op_for(viewer, event)
                frame = text if view is event and text is not None else broadcast.encode(view)
                frames[key] = frame
            conn.last_seq = seq
            await self._send(conn, frame)
            if after is None:
                conn.removed = True
                await conn.removed_from_workshop()
                continue
            if visibility.needs_snapshot(conn.viewer, after):
                resync.append(conn)
            conn.viewer = after
        if resync:
            # The op changed what these viewers may see: one fresh snapshot for all of them.
            await self._send_snapshot(resync, await database_sync_to_async(board_snapshot)(self.board_id))

    async def _send_snapshot(self, conns, snapshot: dict) -> None:
        frames: dict = {}
        for conn in conns:
            conn.viewer = visibility.viewer_at(conn.viewer, snapshot)
            frame = frames.get(conn.viewer)
            if frame is None:
                frame = frames[conn.viewer] = broadcast.encode(
                    {
                        "type": "snapshot",
                        "seq": snapshot["seq"],
                        "server_now": server_now(),
                        "board": visibility.snapshot_for(conn.viewer, snapshot),
                    }
                )
            conn.last_seq = snapshot["seq"]
            await self._send(conn, frame)

    async def _send(self, conn, frame: str) -> None:
        try:
            await conn.deliver(frame)
        except Exception as exc:  # a connection that went away; it leaves through remove()
            logger.debug("delivery to a closed connection of board %s: %s", self.board_id, exc)

    # --- the loops ----------------------------------------------------------------------

    def _start(self, name: str, loop_fn) -> None:
        task = self.loop.create_task(loop_fn())
        self.tasks[name] = task

        def restart(done: asyncio.Task) -> None:
            # A loop that ended other than by being cancelled died of a bug:
            # log it and start it again, or this board goes quiet here for good.
            if done.cancelled() or self.closed:
                return
            logger.error("board %s: %s loop ended (%r); restarting it", self.board_id, name, done.exception())
            self._start(name, loop_fn)

        task.add_done_callback(restart)

    async def _subscribe(self) -> None:
        if self.channel is None:
            self.channel = await self.layer.new_channel()
        await self.layer.group_add(self.group, self.channel)
        if not self.subscribed:
            self.subscribed = True
            # Ask the other processes for their rosters, and give ours.
            await self._layer_call(self._roster_message(self._local_people(), ask=True))

    async def _receive_loop(self) -> None:
        while True:
            try:
                if not self.subscribed:
                    await self._subscribe()
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self.subscribed:
                    logger.warning("board %s: channel layer failed (%s); polling the log", self.board_id, exc)
                self.subscribed = False
                await asyncio.sleep(DEGRADED_POLL_SECONDS / 2)
                continue
            try:
                await self._on_message(message)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("board %s: handling %s failed", self.board_id, message.get("type"))

    async def _on_message(self, message: dict) -> None:
        kind = message.get("type")
        if kind == "board.op":
            text = message.get("event_json")
            # {"event": {...}} is how processes of an earlier release send ops:
            # during a rolling deploy both forms cross Redis.
            event = broadcast.decode_event(text) if text is not None else message["event"]
            await self._on_op(event, text)
        elif kind == "presence.roster":
            if message["process"] == self.channel:
                return
            if message["people"]:
                self.rosters[message["process"]] = (time.monotonic(), message["people"])
            else:
                self.rosters.pop(message["process"], None)
            if message.get("ask"):
                await self._layer_call(self._roster_message(self._local_people()))
            self._presence_changed()
        elif kind == "presence.typing":
            if message["process"] != self.channel:
                await self._typing_here(message["who"], message["section"])
        elif kind == "board.deleted":
            for conn in list(self.connections):
                with contextlib.suppress(Exception):  # a connection already gone
                    await conn.board_deleted()
        else:
            logger.debug("board %s: ignored a %r message", self.board_id, kind)

    async def _beat_loop(self) -> None:
        interval = settings.WS_HEARTBEAT_SECONDS
        # Jitter: boards whose rooms opened together must not beat together.
        await asyncio.sleep(random.uniform(0.2, 0.9) * interval)
        last_beat = 0.0
        while True:
            try:
                due = time.monotonic() - last_beat >= 0.7 * interval
                if due or not self.subscribed:
                    # Degraded (no layer): the log is polled every second; the
                    # heartbeats themselves keep their own pace.
                    await self._beat(send_heartbeats=due, grace=min(1.0, interval / 10) if due else 0.0)
                    if due:
                        last_beat = time.monotonic()
            except asyncio.CancelledError:
                raise
            except Exception:
                # A database or layer blip: log it and beat again next time.
                logger.exception("board %s: heartbeat failed", self.board_id)
            await asyncio.sleep(
                DEGRADED_POLL_SECONDS if not self.subscribed else random.uniform(0.7, 0.9) * interval
            )

    async def _beat(self, send_heartbeats: bool, grace: float) -> None:
        self.beats += 1
        if send_heartbeats and self.subscribed:
            await self._renew()
        seq = await database_sync_to_async(_board_seq)(self.board_id)
        if seq is None:
            return
        # Ops committed a moment ago are most likely on their way through the
        # layer, not lost: give them `grace` before reading the log for them
        # (reading it anyway fed on itself under load, BENCHMARKS.md).
        deadline = time.monotonic() + grace
        while self._lowest() < seq and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        async with self.lock:
            lowest = self._lowest()
            if lowest < seq:
                for event in await self._events(lowest, seq):
                    await self._fanout(event, None)
            if send_heartbeats:
                frames: dict = {}
                for conn in list(self.connections):
                    if conn.last_seq is None or conn.removed:
                        continue
                    frame = frames.get(conn.last_seq)
                    if frame is None:
                        frame = frames[conn.last_seq] = _heartbeat(conn.last_seq)
                    await self._send(conn, frame)

    async def _renew(self) -> None:
        """Keeps this process's group membership and roster fresh; drops the rosters of dead processes.

        Both expire when a killed process stops renewing them (group_expiry
        in settings; ROSTER_LIFETIME_BEATS here). Done before touching the
        database, so a database outage does not let the membership lapse.
        """
        await self._layer_call(self.layer.group_add(self.group, self.channel))
        await self._layer_call(self._roster_message(self._local_people()))
        lifetime = ROSTER_LIFETIME_BEATS * settings.WS_HEARTBEAT_SECONDS
        stale = [p for p, (seen, _) in self.rosters.items() if time.monotonic() - seen > lifetime]
        for process in stale:
            del self.rosters[process]
        if stale:
            self._presence_changed()

    def _lowest(self) -> int:
        seqs = [c.last_seq for c in self.connections if c.last_seq is not None and not c.removed]
        return min(seqs) if seqs else 1 << 62

    # --- presence -----------------------------------------------------------------------

    def _local_people(self) -> list[dict]:
        return [conn.who for conn in self.connections]

    def _roster_message(self, people: list[dict], ask: bool = False):
        message = {"type": "presence.roster", "process": self.channel, "people": people, "ask": ask}
        return self.layer.group_send(self.group, message)

    def _presence_changed(self) -> None:
        if self.closed:
            return
        if self.presence_task is None or self.presence_task.done():
            self.presence_task = self.loop.create_task(self._send_presence_soon())

    async def _send_presence_soon(self) -> None:
        await asyncio.sleep(PRESENCE_DELAY)
        try:
            if self.subscribed:
                await self._layer_call(self._roster_message(self._local_people()))
            peers = self._local_people()
            for _, people in self.rosters.values():
                peers.extend(people)
            frames: dict = {}
            for conn in list(self.connections):
                if conn.last_seq is None:
                    continue  # it gets presence after its initial state
                # Outside anonymous mode everyone sees the same list; in it, each their own entry.
                key = (conn.viewer.anonymous, conn.viewer.id if conn.viewer.anonymous else None)
                frame = frames.get(key)
                if frame is None:
                    frame = frames[key] = broadcast.encode(visibility.presence_for(conn.viewer, peers))
                await self._send(conn, frame)
            if any(conn.last_seq is None for conn in self.connections):
                self._presence_changed_later()
        except Exception:
            logger.exception("board %s: presence failed", self.board_id)

    def _presence_changed_later(self) -> None:
        self.loop.call_later(PRESENCE_DELAY, self._presence_changed)

    async def _typing_here(self, typist: dict, section: str, skip=None) -> None:
        frames: dict = {}
        for conn in list(self.connections):
            if conn is skip or conn.last_seq is None or conn.who["id"] == typist["id"]:
                continue
            frame = frames.get(conn.viewer.anonymous)
            if frame is None:
                frame = frames[conn.viewer.anonymous] = broadcast.encode(
                    visibility.typing_for(conn.viewer, typist, section)
                )
            await self._send(conn, frame)

    async def _layer_call(self, awaitable) -> bool:
        """Runs a channel-layer call whose failure (ChannelFull, Redis down) must not end anything."""
        try:
            await awaitable
            return True
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            logger.warning("board %s: channel layer call failed: %s", self.board_id, exc)
            return False


# --- the process's hubs --------------------------------------------------------------

_hubs: dict[int, BoardHub] = {}


def hub_for(board_id: int) -> BoardHub:
    """This process's hub of a board, made on first use (on the running loop and layer)."""
    loop = asyncio.get_running_loop()
    # The ORM thread's commits hand their broadcasts to this loop (broadcast.publish).
    broadcast.remember_loop(loop)
    layer = get_channel_layer()
    hub = _hubs.get(board_id)
    if hub is None or hub.loop is not loop or hub.layer is not layer or hub.closed:
        # (A new loop or layer: a test's own; the old hub's loop is gone.)
        hub = _hubs[board_id] = BoardHub(board_id, layer, loop)
    return hub


def local_connections(board_id: int) -> int:
    hub = _hubs.get(board_id)
    return len(hub.connections) if hub is not None and not hub.closed else 0


# --- reads on the ORM thread ------------------------------------------------------------

REPLAY_LIMIT = 1000  # a `since` further back gets a snapshot instead of a long replay


def _board_seq(board_id: int):
    return Board.objects.filter(id=board_id).values_list("seq", flat=True).order_by("pk").first()


def _initial_state(board_id: int, since: int | None):
    if since is not None:
        seq = _board_seq(board_id)
        if seq is not None and 0 <= since <= seq and seq - since <= REPLAY_LIMIT:
            return "ops", ops_after(board_id, since), since
    snapshot = board_snapshot(board_id)
    return "snapshot", snapshot, snapshot["seq"]


def server_now() -> int:
    """The server's clock in ms since the epoch (docs/protocol.md §7, "Timer")."""
    return int(time.time() * 1000)


def _heartbeat(seq: int) -> str:
    # server_now lets clients with a wrong clock agree on the timer.
    return broadcast.encode({"type": "heartbeat", "seq": seq, "server_now": server_now()})
