"""The board's event stream: the WebSocket's fallback for networks that block upgrades.

`GET /api/v1/boards/{id}/events/` answers `text/event-stream` (server-sent
events). It is a thin adapter, like the consumer (boards/consumers.py): it
authenticates with the same helpers, then registers an `EventStream` with this
process's hub of the board (boards/fanout.py), which sends it its initial state
(a snapshot, or the ops after `since` / `Last-Event-ID`), every op exactly once
in seq order through the same per-recipient view, heartbeats, presence and
typing hints. Ops go up through `POST /api/v1/boards/{id}/ops/` and the one op
door. Nothing here decides what anyone may see or do.

Each hub frame becomes one event: `event:` is the frame's `type`, `data:` the
frame's JSON as the WebSocket would send it, and ops, snapshots and heartbeats
carry `id: <seq>` so a reconnecting EventSource resumes where it was.

Limits (docs/protocol.md, "The event stream"): streams per participant and per
client address in this process; a stream whose client does not read what it is
sent is cut off when its buffer passes settings.SSE_SEND_BUFFER_BYTES.
"""

from __future__ import annotations

import asyncio
import collections
import contextvars
import functools
import logging
from urllib.parse import urlparse

from asgiref.sync import SyncToAsync
from channels.db import database_sync_to_async
from django.conf import settings
from django.http import JsonResponse, StreamingHttpResponse
from django.http.request import split_domain_port, validate_host
from rest_framework.throttling import BaseThrottle

from boards import broadcast, fanout, visibility
from boards.access import access_board
from boards.auth import guest_from_session, user_for_token
from boards.errors import Forbidden, NotFound
from boards.models import Board

logger = logging.getLogger(__name__)

# Streams one participant may hold open in one process (tabs, devices): as for sockets.
MAX_STREAMS_PER_PARTICIPANT = 10
# A comment line after this many seconds without an event, so proxies and
# load balancers do not close an idle stream (heartbeats come every
# WS_HEARTBEAT_SECONDS anyway; this covers a hub that is slow to beat).
PING_SECONDS = 15.0
# How long an EventSource waits before reconnecting (its `retry:`).
RETRY_MS = 2000

_streams = collections.Counter()  # open streams per participant id, this process
_addresses = collections.Counter()  # open streams per client address, this process
_ident = BaseThrottle()  # its get_ident() honours NUM_PROXIES like the API throttles


def _outside_the_request(coro) -> asyncio.Task:
    """Runs `coro` in a task with a fresh context.

    Django runs each ASGI request in a ThreadSensitiveContext: database calls
    made in it go to a thread (and a database connection) of that request's
    own, and that thread is shut down when the request ends. A stream lives as
    long as its client, and the hub it may create outlives it: their database
    calls must go to the process's one ORM thread, as the consumer's do.
    """
    return asyncio.get_running_loop().create_task(coro, context=contextvars.Context())


def _release_request_thread() -> None:
    """Ends the request's own database thread while the stream is open.

    By the time the body is sent, the middleware is done with it and the
    stream does all its work outside the request (above); an idle thread per
    open stream was most of a stream's memory (BENCHMARKS.md). Should Django
    need one again at the end (response.close), it makes a new one.
    """
    context = SyncToAsync.thread_sensitive_context.get(None)
    executor = SyncToAsync.context_to_thread_executor.pop(context, None) if context is not None else None
    if executor is not None:
        executor.shutdown(wait=False)


async def _await_outside(coro):
    task = _outside_the_request(coro)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        task.cancel()
        raise


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


def sse_chunk(frame: str) -> bytes:
    """One hub frame as one event.

    The hub hands the same string to every connection of a visibility class,
    and a str caches its hash: small frames (ops, heartbeats, presence) are
    encoded once for all the streams. Large ones (snapshots) are not kept.
    """
    return _cached_chunk(frame) if len(frame) <= CACHED_FRAME_CHARS else _chunk(frame)


CACHED_FRAME_CHARS = 16 * 1024


def _chunk(frame: str) -> bytes:
    message = broadcast.decode(frame)
    kind = message.get("type", "message")
    head = f"event: {kind}\n"
    if kind in ("op", "snapshot", "heartbeat") and isinstance(message.get("seq"), int):
        head += f"id: {message['seq']}\n"
    # Frames are compact JSON (newlines inside strings are escaped): one `data:` line.
    return (head + "data: " + frame + "\n\n").encode("utf-8", "surrogatepass")


_cached_chunk = functools.lru_cache(maxsize=256)(_chunk)


def _end_event(code: str, message: str) -> bytes:
    return sse_chunk(
        broadcast.encode({"type": "error", "client_op_id": None, "code": code, "message": message})
    )


class EventStream:
    """One open event stream: a `fanout.Connection`."""

    def __init__(self, board_id: int, participant, viewer, address: str):
        self.board_id = board_id
        self.participant = participant
        self.viewer = viewer
        self.who = visibility.who(participant)
        self.last_seq = None
        self.removed = False
        self.address = address
        self.queue: asyncio.Queue = asyncio.Queue()
        self.queued_bytes = 0
        self.closed = False
        self.hub = None
        self.task: asyncio.Task | None = None  # the request's task, which sends the body
        self.counted = False

    # --- the hub's side (boards/fanout.py, Connection) ---------------------------------

    async def deliver(self, frame: str) -> None:
        if self.closed:
            raise ConnectionError("the stream is closed")
        chunk = sse_chunk(frame)
        # What may wait for a client that does not read (its TCP window is full
        # and the ASGI server's send() waits): settings.SSE_SEND_BUFFER_BYTES.
        if self.queued_bytes + len(chunk) > settings.SSE_SEND_BUFFER_BYTES:
            # The client is not reading: end the stream rather than hold more
            # for it. Its EventSource reconnects with Last-Event-ID when it can.
            logger.warning("board %s: an event stream that did not read was cut off", self.board_id)
            self._end()
            if self.task is not None:
                # Its body is stuck in the server's send() (waiting for the
                # client's TCP window): end the request, which closes the
                # connection. Django swallows that cancellation inside send()
                # and leaves the body unfinished, so leave the hub here.
                self.task.cancel()
                asyncio.get_running_loop().create_task(self._leave())
            raise ConnectionError("the stream's client does not read")
        self.queued_bytes += len(chunk)
        self.queue.put_nowait(chunk)

    async def removed_from_workshop(self) -> None:
        # The removal op itself was delivered just before; say why the stream
        # ends (a reconnect gets 404: the participant is no longer there).
        if not self.closed:
            self.queue.put_nowait(_end_event("forbidden", "You were removed from this workshop."))
        self._end()

    def _end(self) -> None:
        if not self.closed:
            self.closed = True
            self.queue.put_nowait(None)

    # --- the response body ---------------------------------------------------------

    async def body(self, since: int | None):
        """The events, for as long as the client stays (runs in the request's task)."""
        # Counted here, not in the view: a body that never starts never ends either.
        _streams[self.participant.id] += 1
        _addresses[self.address] += 1
        self.counted = True
        self.task = asyncio.current_task()
        try:
            yield f"retry: {RETRY_MS}\n\n".encode()
            _release_request_thread()
            await _await_outside(self._attach(since))
            while True:
                try:
                    chunk = await asyncio.wait_for(self.queue.get(), PING_SECONDS)
                except TimeoutError:
                    yield b": ping\n\n"
                    continue
                if chunk is None:
                    return
                self.queued_bytes -= len(chunk)
                yield chunk
        finally:
            # Every way a stream ends (client gone, removed, crashed). A body
            # left suspended in send() is closed when it is collected.
            await self._leave()

    async def _attach(self, since: int | None) -> None:
        """Joins the board's hub, which sends the initial state (the consumer's path)."""
        if self.closed:
            return
        self.hub = fanout.hub_for(self.board_id)
        self.hub.add(self)
        await self.hub.open(self, since)

    async def _leave(self) -> None:
        """Leaves the counts and the hub, once."""
        self.closed = True
        self.task = None
        if self.counted:
            self.counted = False
            self._release()
        hub, self.hub = self.hub, None
        if hub is not None:
            await hub.remove(self)

    def _release(self) -> None:
        for counter, key in ((_streams, self.participant.id), (_addresses, self.address)):
            counter[key] -= 1
            if counter[key] <= 0:
                del counter[key]


def _origin_allowed(request) -> bool:
    """A browser's same-origin EventSource sends no Origin; a foreign page's does."""
    origin = request.headers.get("Origin")
    if not origin:
        return True
    parsed = urlparse(origin)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return False
    domain, _port = split_domain_port(parsed.netloc)
    return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)


def _token(request) -> str | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, key = header.partition(" ")
    return key.strip() if scheme.lower() == "token" else ""


def _open(request, board_id: int):
    """The caller's participant and viewer on the board (on the ORM thread); raises as the API does."""
    key = _token(request)
    if key is not None:
        user = user_for_token(key) if key else None
        if user is None:
            return None
    else:
        user = request.user
        if not user.is_authenticated:
            workshop_id = Board.objects.filter(id=board_id).values_list("workshop_id", flat=True).first()
            if workshop_id is None:
                raise NotFound("No such board.")
            user = guest_from_session(request.session, workshop_id)
            if user is None:
                return None
    board, participant = access_board(user, board_id)
    return participant, visibility.viewer_of(participant, board.workshop)


def _since(request) -> int | None:
    """Last-Event-ID (an EventSource reconnecting) wins over ?since=; junk means a snapshot."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("since")
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


async def board_events(request, board_id: int):
    if request.method != "GET":
        return _error(405, "method_not_allowed", "Use GET.")
    if not _origin_allowed(request):
        return _error(403, "forbidden", "This origin may not open the event stream.")
    try:
        opened = await _await_outside(database_sync_to_async(_open)(request, board_id))
    except NotFound as error:
        return _error(404, "not_found", error.message)
    except Forbidden as error:
        return _error(403, "forbidden", error.message)
    if opened is None:
        return _error(401, "unauthenticated", "Log in, join the workshop or send a valid token.")
    participant, viewer = opened
    address = _ident.get_ident(request)
    if _addresses[address] >= settings.SSE_MAX_STREAMS_PER_ADDRESS:
        return _error(429, "rate_limited", "Too many open event streams from this address.")
    if _streams[participant.id] >= MAX_STREAMS_PER_PARTICIPANT:
        return _error(429, "rate_limited", "Too many open event streams; close a tab.")
    stream = EventStream(board_id, participant, viewer, address)
    response = StreamingHttpResponse(stream.body(_since(request)), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache, no-transform"
    # nginx: pass each event on at once (deploy/ sets this for the path as well).
    response["X-Accel-Buffering"] = "no"
    return response
