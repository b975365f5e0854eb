"""The board WebSocket: a thin adapter between a socket and the op door.

It authenticates, passes each op request to `apply_op_request()`, and hands
the socket to this process's hub of the board (boards/fanout.py), which sends
it its initial state (a snapshot, or the ops after `since`) and then every op
of the board exactly once and in seq order (G3), with heartbeats.

Every frame kind is rate-limited per socket, ops also per participant, and a
participant has at most MAX_SOCKETS_PER_PARTICIPANT sockets per process
(docs/protocol.md, "Limits"). Frames are read as they come and queued for the
socket's worker in a bounded queue: a client that sends faster than its ops
are applied is closed (4008) instead of growing the server's memory.
"""

import asyncio
import collections
import contextlib
import logging
import time
from urllib.parse import parse_qs, urlparse

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.db import DatabaseError
from django.http.request import split_domain_port, validate_host

from boards import batching, broadcast, fanout, visibility
from boards.access import access_board
from boards.auth import guest_from_session
from boards.errors import Forbidden, Invalid, NotFound, OpError
from boards.models import Board
from boards.wire import parse_frame

logger = logging.getLogger(__name__)

# How long an op may wait for the database before the sender is told
# `unavailable` (docs/protocol.md §3.3); the op may still commit later.
OP_ANSWER_SECONDS = 8.0
# After a database error or such a wait, this process answers ops `unavailable`
# at once for this long: while the database is away, each op would otherwise
# wait for the pool in turn behind the ones queued before it.
DATABASE_BACKOFF_SECONDS = 2.0
_database_back_at = 0.0


def _database_failed() -> None:
    global _database_back_at
    _database_back_at = time.monotonic() + DATABASE_BACKOFF_SECONDS


def _ignore_result(future) -> None:
    """An op answered `unavailable` that finished later: its outcome reaches the client on re-send."""
    if not future.cancelled():
        future.exception()


# Close codes (docs/protocol.md, "Closing").
CLOSE_UNAUTHENTICATED = 4001
CLOSE_MALFORMED = 4002
CLOSE_FORBIDDEN = 4003  # also: the participant was removed from the workshop
CLOSE_NOT_FOUND = 4004
CLOSE_FLOODING = 4008
CLOSE_TOO_LARGE = 4009
CLOSE_TOO_MANY_SOCKETS = 4010

# A `since` further back than this gets a snapshot instead of a long replay.
REPLAY_LIMIT = fanout.REPLAY_LIMIT
# Ops per socket: a steady rate and a burst big enough for an outbox that
# filled up while offline.
OP_RATE_PER_SECOND = 20.0
OP_BURST = 100
# Ops per participant, all their sockets of this process together: a person
# writing as fast as they can does a few a second; 300 a minute is far past it.
PARTICIPANT_OPS_PER_MINUTE = 300
# typing and ping frames per socket: a browser sends a typing hint at most
# every couple of seconds and a ping after 15 s of silence.
TYPING_PER_SECOND, TYPING_BURST = 2.0, 5
PING_PER_SECOND, PING_BURST = 1.0, 5
# Sockets one participant may hold open in one process (tabs, devices).
MAX_SOCKETS_PER_PARTICIPANT = 10
# Frames waiting for the socket's worker (ops and pings: what needs the
# database); past either bound the socket is closed with 4008.
INBOUND_QUEUE_FRAMES = 200
INBOUND_QUEUE_BYTES = 1024 * 1024
# Frames waiting to be written to a socket whose client does not read them (a
# frozen tab, a stalled network): past either bound the socket is cut off with
# 4008 instead of holding the process's memory for it. An ASGI server that
# waits while the client's TCP window is full (uvicorn, the production server)
# makes this queue grow; daphne buffers on its own and never waits.
OUTBOUND_QUEUE_FRAMES = 2000
OUTBOUND_QUEUE_BYTES = 4 * 1024 * 1024
# Past this many refused frames (malformed, or over a rate) the socket is
# closed: that is no longer a person at a keyboard.
MAX_MALFORMED = 20
MAX_RATE_LIMITED = 200

# This process's open sockets and op allowance per participant.
_sockets = collections.Counter()
_participant_ops: dict[int, "TokenBucket"] = {}


class Unauthenticated(Exception):
    pass


class TokenBucket:
    """`rate` frames a second on average, `burst` at once."""

    def __init__(self, rate: float, burst: float):
        self.rate, self.burst = rate, burst
        self.tokens, self.at = float(burst), time.monotonic()

    def take(self, rate: float | None = None) -> bool:
        now = time.monotonic()
        rate = self.rate if rate is None else rate
        self.tokens = min(self.burst, self.tokens + (now - self.at) * rate)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def server_now() -> int:
    """The server's clock in ms since the epoch (docs/protocol.md §7, "Timer")."""
    return fanout.server_now()


class BoardConsumer(AsyncWebsocketConsumer):
    # No channel-layer channel per socket: the board's hub is this process's
    # one subscriber and hands each socket its ops (boards/fanout.py). A
    # per-socket channel meant one layer message and one dispatch per
    # recipient, and a crashed socket left its channel in the group.
    channel_layer_alias = "resonance.hub-only"

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        finally:
            # Every way a socket ends (closed, cancelled, crashed) leaves the
            # hub and presence; disconnect() alone is skipped by a crash.
            await self._leave()

    async def dispatch(self, message):
        # Channels runs aclose_old_connections() (a hop onto the one ORM
        # thread) before every message; every database call here goes through
        # database_sync_to_async, which closes stale connections itself.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        self.board_id = self.scope["url_route"]["kwargs"]["board_id"]
        self.participant = None
        self.viewer = None  # what op_for() needs; the hub keeps it up to date
        self.last_seq = None
        self.removed = False
        self.hub = None
        self.worker = None
        self.counted = False
        self.closed = False
        self.inbound = asyncio.Queue()
        self.inbound_bytes = 0
        self.outbound = collections.deque()  # frames (str) and close codes (int), in order
        self.outbound_bytes = 0
        self.outbound_ready = asyncio.Event()
        self.writer = None
        self.op_bucket = TokenBucket(OP_RATE_PER_SECOND, OP_BURST)
        self.typing_bucket = TokenBucket(TYPING_PER_SECOND, TYPING_BURST)
        self.ping_bucket = TokenBucket(PING_PER_SECOND, PING_BURST)
        self.malformed = 0
        self.rate_limited = 0

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
        if close_code is None and _sockets[self.participant.id] >= MAX_SOCKETS_PER_PARTICIPANT:
            close_code = CLOSE_TOO_MANY_SOCKETS
        if close_code is not None:
            self.participant = None
            # Accept first, then close with a code: a browser cannot read the
            # HTTP status of a refused handshake, but it can read a close code.
            await self.accept()
            await self.close(code=close_code)
            return

        _sockets[self.participant.id] += 1
        self.counted = True
        self.who = visibility.who(self.participant)
        await self.accept()
        # From here on every frame, and the close, goes through the writer: the
        # hub hands a frame over without waiting for a slow client.
        self.writer = asyncio.create_task(self._write())
        self.hub = fanout.hub_for(self.board_id)
        self.hub.add(self)
        await self.hub.open(self, self._since())
        self.worker = asyncio.create_task(self._work())

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

    def _since(self) -> int | None:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        try:
            return int(query["since"][0]) if query.get("since") else None
        except ValueError:
            return None

    async def disconnect(self, code):
        await self._leave()

    async def _leave(self):
        self.closed = True
        writer, self.writer = getattr(self, "writer", None), None
        if writer is not None and writer is not asyncio.current_task():
            writer.cancel()
        if getattr(self, "worker", None) is not None:
            # Ops already read from the socket are still applied (their acks
            # go nowhere; the client re-sends them and gets the original seq, G4).
            self.inbound.put_nowait((None, 0))
            self.worker = None
        if getattr(self, "counted", False):
            self.counted = False
            participant_id = self.participant.id
            _sockets[participant_id] -= 1
            if _sockets[participant_id] <= 0:
                del _sockets[participant_id]
                _participant_ops.pop(participant_id, None)
        hub, self.hub = getattr(self, "hub", None), None
        if hub is not None:
            await hub.remove(self)

    # --- the hub's side (boards/fanout.py, Connection) -----------------------------

    async def deliver(self, frame: str) -> None:
        if self.closed:
            raise ConnectionError("the socket is closed")
        if self.writer is None:
            await self.frame_send({"type": "websocket.send", "text": frame})
            return
        if (
            len(self.outbound) >= OUTBOUND_QUEUE_FRAMES
            or self.outbound_bytes + len(frame) > OUTBOUND_QUEUE_BYTES
        ):
            self._cut_off()
            raise ConnectionError("the client does not read what it is sent")
        self.outbound.append(frame)
        self.outbound_bytes += len(frame)
        self.outbound_ready.set()

    async def _write(self) -> None:
        """Writes the queued frames in order; a queued close code ends the socket."""
        while True:
            await self.outbound_ready.wait()
            self.outbound_ready.clear()
            while self.outbound:
                item = self.outbound.popleft()
                if isinstance(item, int):
                    await super().close(code=item)
                    return
                self.outbound_bytes -= len(item)
                await self.frame_send({"type": "websocket.send", "text": item})

    def _cut_off(self) -> None:
        logger.warning("board %s: a socket that did not read what it was sent was cut off", self.board_id)
        self.closed = True
        self.outbound.clear()
        self.outbound_bytes = 0
        if self.writer is not None:
            self.writer.cancel()  # it may be stuck writing to the stalled client
            self.writer = None
        # In a task of its own: closing may wait on the stalled client as well.
        asyncio.ensure_future(super().close(code=CLOSE_FLOODING)).add_done_callback(_ignore_result)

    async def accept(self, subprotocol=None, headers=None):
        await super().accept(subprotocol, headers)
        # Channels' session wrapper looks at the session on every message sent
        # (6 % of the server in the workshop profile) although only the
        # handshake can carry a cookie: frames after it go straight to the server.
        wrapper = getattr(self.base_send, "__self__", None)
        self.frame_send = getattr(wrapper, "real_send", None) or self.base_send

    async def close(self, code=None, reason=None):
        if self.closed and self.writer is None:
            return
        self.closed = True
        if self.writer is not None:
            # After the frames already queued (a removal's op comes before its close).
            self.outbound.append(code if code is not None else 1000)
            self.outbound_ready.set()
            return
        await super().close(code=code, reason=reason)

    async def removed_from_workshop(self) -> None:
        await self.close(code=CLOSE_FORBIDDEN)

    async def board_deleted(self) -> None:
        """The workshop was deleted (lifecycle/sockets.py): close as for a board that does not exist."""
        await self.close(code=CLOSE_NOT_FOUND)

    # --- from the socket ------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if self.participant is None:
            return
        if bytes_data is not None:
            await self._refuse(None, "invalid", "Send text frames holding one JSON object.")
            return
        if (
            len(text_data) > settings.WS_MAX_FRAME_BYTES
            or len(text_data.encode("utf-8", "surrogatepass")) > settings.WS_MAX_FRAME_BYTES
        ):
            await self.close(code=CLOSE_TOO_LARGE)
            return
        try:
            message = parse_frame(text_data)  # orjson, plus depth, NUL and lone surrogates (boards/wire.py)
        except Invalid as error:
            await self._refuse(None, "invalid", error.message)
            return
        kind = message.get("type")
        if kind == "op":
            if self._op_allowed():
                await self._enqueue(message, len(text_data))
            else:
                await self._rate_limited(
                    message.get("client_op_id"), "Too many ops; slow down and send again."
                )
        elif kind == "ping":
            if self.ping_bucket.take():
                await self._enqueue(message, len(text_data))
            else:
                await self._rate_limited(None, None)
        elif kind == "typing":
            if self.typing_bucket.take():
                await self._receive_typing(message)
            else:
                await self._rate_limited(None, None)
        else:
            await self._refuse(message.get("client_op_id"), "invalid", f"Unknown message type {kind!r}.")

    def _op_allowed(self) -> bool:
        shared = _participant_ops.get(self.participant.id)
        if shared is None:
            shared = _participant_ops[self.participant.id] = TokenBucket(
                PARTICIPANT_OPS_PER_MINUTE / 60, PARTICIPANT_OPS_PER_MINUTE
            )
        # Module-level rates are read at each call, so tests can slow them down.
        if not self.op_bucket.take(OP_RATE_PER_SECOND):
            return False
        return shared.take(PARTICIPANT_OPS_PER_MINUTE / 60)

    async def _enqueue(self, message, size: int):
        if self.inbound.qsize() >= INBOUND_QUEUE_FRAMES or self.inbound_bytes + size > INBOUND_QUEUE_BYTES:
            await self.close(code=CLOSE_FLOODING)
            return
        self.inbound_bytes += size
        self.inbound.put_nowait((message, size))

    async def _work(self):
        """Handles the queued frames of this socket one at a time, in the order they came."""
        while True:
            message, size = await self.inbound.get()
            if message is None:
                return
            self.inbound_bytes -= size
            try:
                if message["type"] == "op":
                    await self._receive_op(message)
                elif self.hub is not None:
                    await self.hub.catch_up(self)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                # A database blip: the op was not applied (its transaction
                # rolled back); the client's outbox sends it again.
                logger.exception("board %s: a frame failed", self.board_id)
                if isinstance(error, DatabaseError):
                    _database_failed()
                if message["type"] == "op":
                    await self._send_error(
                        message.get("client_op_id"),
                        "unavailable",
                        "The server could not apply this op now; send it again.",
                    )

    async def _receive_op(self, message):
        client_op_id = message.get("client_op_id")
        if time.monotonic() < _database_back_at:
            await self._send_error(
                client_op_id, "unavailable", "The server cannot reach its database; send it again."
            )
            return
        applying = asyncio.ensure_future(
            batching.apply(
                self.board_id, self.participant.id, message.get("op"), message.get("data", {}), client_op_id
            )
        )
        try:
            # While the database is away every query waits for the pool first:
            # answer `unavailable` in bounded time instead of leaving the op
            # unanswered. If it commits after all, the outbox's re-send gets
            # the original ack (G4), so nothing is lost or doubled.
            applied = await asyncio.wait_for(asyncio.shield(applying), OP_ANSWER_SECONDS)
        except TimeoutError:
            applying.add_done_callback(_ignore_result)
            _database_failed()
            await self._send_error(
                client_op_id, "unavailable", "The server is waiting for its database; send it again."
            )
            return
        except OpError as error:
            await self._send_error(client_op_id, error.code, error.message)
            return
        with contextlib.suppress(ConnectionError):  # closed meanwhile: the client re-sends it
            await self.deliver(
                broadcast.encode({"type": "ack", "client_op_id": client_op_id, "seq": applied.seq})
            )

    async def _receive_typing(self, message):
        section = message.get("section")
        if not isinstance(section, str) or len(section) > 40:
            await self._refuse(None, "invalid", "typing needs a section key.")
            return
        if self.hub is not None:
            await self.hub.typing(self, section)

    async def _rate_limited(self, client_op_id, text):
        """A frame over its rate: ops get an error; typing and ping are dropped."""
        self.rate_limited += 1
        if self.rate_limited > MAX_RATE_LIMITED:
            await self.close(code=CLOSE_FLOODING)
            return
        if text is not None:
            await self._send_error(client_op_id, "rate_limited", text)

    async def _refuse(self, client_op_id, code, text):
        self.malformed += 1
        if self.malformed > MAX_MALFORMED:
            await self.close(code=CLOSE_MALFORMED)
            return
        await self._send_error(client_op_id, code, text)

    async def _send_error(self, client_op_id, code, text):
        frame = {"type": "error", "client_op_id": client_op_id, "code": code, "message": text}
        with contextlib.suppress(ConnectionError):
            await self.deliver(broadcast.encode(frame))
