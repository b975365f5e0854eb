"""The board WebSocket: a thin adapter between a socket and boards/ops.py.

It authenticates, sends the state (a snapshot, or the ops after `since`),
passes each op request to `apply_op_request()`, and relays the board's ops to
its socket exactly once and in seq order (G3): ops that arrive out of order or
not at all through the channel layer are filled from the op log, and a
heartbeat every few seconds makes a lost last op visible and repaired.
"""

import asyncio
import random
import time
from urllib.parse import parse_qs, urlparse

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.http.request import split_domain_port, validate_host

from boards import broadcast, visibility
from boards.access import access_board
from boards.auth import guest_from_session
from boards.errors import Forbidden, Invalid, NotFound, OpError
from boards.models import Board
from boards.ops import apply_op_request, ops_after
from boards.state import board_snapshot
from boards.wire import parse_frame

# Close codes (docs/protocol.md, "Closing").
CLOSE_UNAUTHENTICATED = 4001
CLOSE_MALFORMED = 4002
CLOSE_FORBIDDEN = 4003  # also: the participant was removed from the workshop
CLOSE_NOT_FOUND = 4004
CLOSE_FLOODING = 4008
CLOSE_TOO_LARGE = 4009

# A `since` further back than this gets a snapshot instead of a long replay.
REPLAY_LIMIT = 1000
# Ops per connection: a steady rate and a burst big enough for an outbox that
# filled up while offline.
OP_RATE_PER_SECOND = 20.0
OP_BURST = 100
# Past this many refused frames (malformed, or over the rate) the socket is
# closed: that is no longer a person at a keyboard.
MAX_MALFORMED = 20
MAX_RATE_LIMITED = 200


class Unauthenticated(Exception):
    pass


def server_now() -> int:
    """The server's clock in ms since the epoch (docs/protocol.md §7, "Timer")."""
    return int(time.time() * 1000)


class BoardConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        broadcast.remember_loop(asyncio.get_running_loop())
        self.board_id = self.scope["url_route"]["kwargs"]["board_id"]
        self.group = broadcast.group_name(self.board_id)
        self.participant = None
        self.viewer = None  # what op_for() needs; follows the ops delivered (visibility.follow)
        self.last_seq = None
        self.delivery_lock = asyncio.Lock()
        self.heartbeat_task = None
        self.tokens = float(OP_BURST)
        self.tokens_at = time.monotonic()
        self.malformed = 0
        self.removed = False
        self.rate_limited = 0
        self.peers = {}

        close_code = None
        if not self._origin_allowed():
            close_code = CLOSE_FORBIDDEN
        elif self.scope.get("auth_failed"):
            close_code = CLOSE_UNAUTHENTICATED
        else:
            try:
                self.participant = await database_sync_to_async(self._open)()
            except Unauthenticated:
                close_code = CLOSE_UNAUTHENTICATED
            except NotFound:
                close_code = CLOSE_NOT_FOUND
            except Forbidden:
                close_code = CLOSE_FORBIDDEN
        if close_code is not None:
            # Accept first, then close with a code: a browser cannot read the
            # HTTP status of a refused handshake, but it can read a close code.
            await self.accept()
            await self.close(code=close_code)
            return

        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._send_initial_state()
        self.me = visibility.who(self.participant)
        await self.channel_layer.group_send(
            self.group, {"type": "presence.hello", "channel": self.channel_name, "who": self.me}
        )
        self.heartbeat_task = asyncio.create_task(self._heartbeat_loop())

    def _origin_allowed(self) -> bool:
        origin = dict(self.scope.get("headers", [])).get(b"origin")
        if not origin:
            return False
        parsed = urlparse(origin.decode("latin-1"))
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            return False
        domain, _port = split_domain_port(parsed.netloc)
        return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)

    def _open(self):
        """The caller's participant on this board (runs on the ORM thread)."""
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            workshop_id = Board.objects.filter(id=self.board_id).values_list("workshop_id", flat=True).first()
            if workshop_id is None:
                raise NotFound("No such board.")
            session = self.scope.get("session")
            user = guest_from_session(session, workshop_id) if session is not None else None
            if user is None:
                raise Unauthenticated()
        board, participant = access_board(user, self.board_id)
        self.viewer = visibility.viewer_of(participant, board.workshop)
        return participant

    def _initial_state(self, since: int | None):
        if since is not None:
            seq = Board.objects.filter(id=self.board_id).values_list("seq", flat=True).order_by("pk").first()
            if seq is not None and 0 <= since <= seq and seq - since <= REPLAY_LIMIT:
                return "ops", ops_after(self.board_id, since), since
        snapshot = board_snapshot(self.board_id)
        return "snapshot", snapshot, snapshot["seq"]

    async def _send_initial_state(self):
        since = None
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        if query.get("since"):
            try:
                since = int(query["since"][0])
            except ValueError:
                since = None
        kind, payload, seq = await database_sync_to_async(self._initial_state)(since)
        async with self.delivery_lock:
            if kind == "snapshot":
                await self._send_snapshot(payload)
            else:
                self.last_seq = seq
                for event in payload:
                    await self._deliver(event)
                await self._send_heartbeat()

    async def _send_snapshot(self, snapshot):
        self.viewer = visibility.viewer_at(self.viewer, snapshot)
        self.last_seq = snapshot["seq"]
        await self._send_json(
            {
                "type": "snapshot",
                "seq": snapshot["seq"],
                "server_now": server_now(),
                "board": visibility.snapshot_for(self.viewer, snapshot),
            }
        )

    async def _send_heartbeat(self):
        # server_now lets clients with a wrong clock agree on the timer.
        await self._send_json({"type": "heartbeat", "seq": self.last_seq, "server_now": server_now()})

    async def disconnect(self, code):
        if self.heartbeat_task is not None:
            self.heartbeat_task.cancel()
        if self.participant is not None:
            await self.channel_layer.group_send(
                self.group, {"type": "presence.bye", "channel": self.channel_name, "who": self.me}
            )
            await self.channel_layer.group_discard(self.group, self.channel_name)

    # --- from the socket ------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if self.participant is None:
            return
        if bytes_data is not None:
            await self._refuse(None, "invalid", "Send text frames holding one JSON object.")
            return
        if (
            len(text_data) > settings.WS_MAX_FRAME_BYTES
            or len(text_data.encode()) > settings.WS_MAX_FRAME_BYTES
        ):
            await self.close(code=CLOSE_TOO_LARGE)
            return
        try:
            message = parse_frame(text_data)  # depth, NUL and lone surrogates too (boards/wire.py)
        except Invalid as error:
            await self._refuse(None, "invalid", error.message)
            return
        kind = message.get("type")
        if kind == "op":
            await self._receive_op(message)
        elif kind == "ping":
            await self._catch_up()
            await self._send_heartbeat()
        elif kind == "typing":
            await self._receive_typing(message)
        else:
            await self._refuse(message.get("client_op_id"), "invalid", f"Unknown message type {kind!r}.")

    async def _receive_op(self, message):
        client_op_id = message.get("client_op_id")
        if not self._take_token():
            self.rate_limited += 1
            if self.rate_limited > MAX_RATE_LIMITED:
                await self.close(code=CLOSE_FLOODING)
                return
            await self._send_error(client_op_id, "rate_limited", "Too many ops; slow down and send again.")
            return
        try:
            applied = await database_sync_to_async(apply_op_request)(
                self.board_id, self.participant.id, message.get("op"), message.get("data", {}), client_op_id
            )
        except OpError as error:
            await self._send_error(client_op_id, error.code, error.message)
            return
        await self._send_json({"type": "ack", "client_op_id": client_op_id, "seq": applied.seq})

    async def _receive_typing(self, message):
        section = message.get("section")
        if not isinstance(section, str) or len(section) > 40:
            await self._refuse(None, "invalid", "typing needs a section key.")
            return
        await self.channel_layer.group_send(
            self.group,
            {"type": "presence.typing", "channel": self.channel_name, "who": self.me, "section": section},
        )

    def _take_token(self) -> bool:
        now = time.monotonic()
        self.tokens = min(OP_BURST, self.tokens + (now - self.tokens_at) * OP_RATE_PER_SECOND)
        self.tokens_at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    async def _refuse(self, client_op_id, code, text):
        self.malformed += 1
        if self.malformed > MAX_MALFORMED:
            await self.close(code=CLOSE_MALFORMED)
            return
        await self._send_error(client_op_id, code, text)

    async def _send_error(self, client_op_id, code, text):
        await self._send_json({"type": "error", "client_op_id": client_op_id, "code": code, "message": text})

    # --- to the socket ----------------------------------------------------------------

    async def dispatch(self, message):
        # Channels runs aclose_old_connections() (a hop onto the single ORM
        # thread) before every message; a broadcast op needs no database unless
        # there is a gap, so it skips that hop (docs/known-traps.md).
        if message["type"] == "board.op":
            await self.board_op(message)
        else:
            await super().dispatch(message)

    async def board_op(self, message):
        text = message.get("event_json")
        # {"event": {...}} is how processes of the previous release send ops:
        # during a rolling deploy both forms cross Redis.
        event = broadcast.decode_event(text) if text is not None else message["event"]
        async with self.delivery_lock:
            if self.last_seq is None or event["seq"] <= self.last_seq:
                return  # not subscribed yet, or already delivered
            if event["seq"] > self.last_seq + 1:
                missing = await database_sync_to_async(ops_after)(
                    self.board_id, self.last_seq, event["seq"] - 1
                )
                for earlier in missing:
                    await self._deliver(earlier)
            await self._deliver(event, text)

    async def _deliver(self, event, shared_text=None):
        """Sends the next op in seq order; anything else waits for gap filling.

        The op may change what this connection sees (settings, its own role):
        then a fresh snapshot follows it. An op removing its participant is
        the last thing the connection sends before it closes.
        """
        if event["seq"] != self.last_seq + 1 or self.removed:
            return
        viewer = visibility.follow(self.viewer, event)
        view = visibility.op_for(viewer or self.viewer, event)
        if view is event and shared_text is not None:
            # op_for hands back the event itself only when this viewer may see
            # all of it: the frame is then the text encoded once for everyone
            # (broadcast.op_message). Anything redacted is a new dict, encoded here.
            await self.send(text_data=shared_text)
        else:
            await self._send_json(view)
        self.last_seq = event["seq"]
        if viewer is None:
            self.removed = True
            await self.close(code=CLOSE_FORBIDDEN)
            return
        changed, self.viewer = visibility.needs_snapshot(self.viewer, viewer), viewer
        if changed:
            await self._send_snapshot(await database_sync_to_async(board_snapshot)(self.board_id))

    async def _catch_up(self, grace: float = 0.0):
        """Sends the logged ops this connection has not had yet, up to the board's seq.

        With a `grace`, ops committed a moment ago get that long to arrive
        through the channel layer first: they are most likely on their way,
        not lost. Reading the log for them anyway made every connection read
        it for ops it was about to receive, which under load fed on itself
        (BENCHMARKS.md).
        """
        seq = await database_sync_to_async(self._board_seq)()
        if seq is None or seq <= self.last_seq:
            return
        deadline = time.monotonic() + grace
        while self.last_seq < seq and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        if seq <= self.last_seq:
            return
        async with self.delivery_lock:
            for event in await database_sync_to_async(ops_after)(self.board_id, self.last_seq, seq):
                await self._deliver(event)

    def _board_seq(self):
        return Board.objects.filter(id=self.board_id).values_list("seq", flat=True).order_by("pk").first()

    async def _heartbeat_loop(self):
        interval = settings.WS_HEARTBEAT_SECONDS
        # Jitter: a roomful of sockets opened together must not beat together.
        await asyncio.sleep(random.uniform(0.2, 1.0) * interval)
        while True:
            # The sleep and the catch-up's grace add up to at most `interval`:
            # the protocol promises a heartbeat at least that often.
            await self._catch_up(grace=min(1.0, interval / 10))
            await self._send_heartbeat()
            await asyncio.sleep(random.uniform(0.7, 0.9) * interval)

    async def _send_json(self, payload):
        await self.send(text_data=broadcast.encode(payload))

    # --- the workshop was deleted (lifecycle/sockets.py) -----------------------------

    async def board_deleted(self, message):
        """Nothing is left to show or change: close as for a board that does not exist."""
        await self.close(code=CLOSE_NOT_FOUND)

    # --- presence (ephemeral: not ops, not stored) ---------------------------------

    async def presence_hello(self, message):
        self.peers[message["channel"]] = message["who"]
        if message["channel"] != self.channel_name:
            await self.channel_layer.send(
                message["channel"], {"type": "presence.here", "channel": self.channel_name, "who": self.me}
            )
        await self._send_presence()

    async def presence_here(self, message):
        self.peers[message["channel"]] = message["who"]
        await self._send_presence()

    async def presence_bye(self, message):
        if self.peers.pop(message["channel"], None) is not None:
            await self._send_presence()

    async def presence_typing(self, message):
        if message["channel"] == self.channel_name:
            return
        frame = visibility.typing_for(self.viewer, message["who"], message["section"])
        if frame is not None:
            await self._send_json(frame)

    async def _send_presence(self):
        await self._send_json(visibility.presence_for(self.viewer, self.peers.values()))
