"""GET /api/v1/boards/{id}/events/: who may open it, what comes first, resuming, limits, cut-offs."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from django.contrib.sessions.backends.db import SessionStore

from boards import events, fanout
from boards.auth import SESSION_KEY
from boards.models import Participant
from boards.ops import apply_op_request
from tests.boards.sse import EventStream, parse_events, post_op
from workshop.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]


@database_sync_to_async
def add_notes(board, actor, texts):
    return [
        apply_op_request(board.id, actor.id, "note.add", {"section": "says", "text": t}).event for t in texts
    ]


async def opened(board_id, token=None, **kwargs) -> EventStream:
    stream = await EventStream(board_id, token, **kwargs).open()
    assert stream.status == 200, stream.body
    return stream


async def test_a_snapshot_comes_first_with_its_seq_as_id(board, guest):
    await add_notes(board, guest, ["hi"])
    stream = await opened(board.id, guest.token)
    assert stream.response_headers["content-type"].startswith("text/event-stream")
    assert "no-cache" in stream.response_headers["cache-control"]
    assert stream.response_headers["x-accel-buffering"] == "no"
    event = await stream.next_event("snapshot")
    assert event["id"] == "1" and event["frame"]["seq"] == 1
    assert [n["text"] for n in event["frame"]["board"]["notes"]] == ["hi"]
    await stream.close()


async def test_an_op_posted_reaches_the_stream_as_an_op_event_with_its_seq(board, guest, second_guest):
    stream = await opened(board.id, guest.token)
    await stream.next_event("snapshot")
    status, body = await post_op(
        board.id,
        {"op": "note.add", "client_op_id": "c1", "data": {"section": "says", "text": "x"}},
        second_guest.token,
    )
    assert status == 200 and body["seq"] == 1
    event = await stream.next_event("op")
    assert event["id"] == "1" and event["frame"]["data"]["text"] == "x"
    # The same client_op_id again: the original seq, nothing applied twice (G4).
    status, again = await post_op(
        board.id,
        {"op": "note.add", "client_op_id": "c1", "data": {"section": "says", "text": "x"}},
        second_guest.token,
    )
    assert status == 200 and again["seq"] == 1 and again["duplicate"] is True
    event = await stream.next_event("op", "heartbeat", timeout=15)
    assert event["event"] == "heartbeat" and event["frame"]["seq"] == 1
    await stream.close()


async def test_since_replays_the_ops_after_it_then_a_heartbeat(board, guest):
    await add_notes(board, guest, ["a", "b", "c"])
    stream = await opened(board.id, guest.token, query="since=1")
    ops = [await stream.next_event("op") for _ in range(2)]
    assert [(e["id"], e["frame"]["data"]["text"]) for e in ops] == [("2", "b"), ("3", "c")]
    assert (await stream.next_event("heartbeat"))["frame"]["seq"] == 3
    await stream.close()


async def test_last_event_id_resumes_and_wins_over_since(board, guest):
    await add_notes(board, guest, ["a", "b", "c"])
    stream = await opened(board.id, guest.token, query="since=0", headers=[("Last-Event-ID", "2")])
    event = await stream.next_event("op")
    assert event["id"] == "3" and event["frame"]["data"]["text"] == "c"
    await stream.close()


@pytest.mark.parametrize("since", ["7", "-1", "abc", "", "99999999999999999999"])
async def test_a_since_ahead_of_the_board_or_unreadable_gets_a_snapshot(board, guest, since):
    await add_notes(board, guest, ["a", "b"])
    stream = await opened(board.id, guest.token, query=f"since={since}")
    event = await stream.next_event("op", "heartbeat", "snapshot")
    assert event["event"] == "snapshot" and event["frame"]["seq"] == 2
    await stream.close()


def _guest_cookie(participant) -> str:
    session = SessionStore()
    session[SESSION_KEY] = {str(participant.workshop_id): participant.id}
    session.create()
    return f"sessionid={session.session_key}"


async def test_a_guest_browser_streams_and_posts_with_its_session_and_the_csrf_token(board, guest):
    cookie = await database_sync_to_async(_guest_cookie)(guest)
    stream = await opened(board.id, cookie=cookie)
    await stream.next_event("snapshot")
    op = {"op": "note.add", "client_op_id": "g1", "data": {"section": "says", "text": "from a guest"}}
    status, body = await post_op(board.id, op, cookie=cookie)
    assert status == 403 and "CSRF" in body["message"]  # a cookie alone does not write
    csrf = "a" * 32
    status, body = await post_op(
        board.id,
        op,
        cookie=f"{cookie}; csrftoken={csrf}",
        headers=[("X-CSRFToken", csrf), ("Referer", "http://testserver/")],
    )
    assert status == 200, body
    assert (await stream.next_event("op"))["frame"]["data"]["text"] == "from a guest"
    await stream.close()


async def test_who_may_not_open_the_stream(board, guest, other_board):
    outsider = await database_sync_to_async(Participant.objects.create)(
        workshop_id=other_board.workshop_id, display_name="Olga"
    )
    cases = [
        ({}, 401, "unauthenticated"),
        ({"token": "not-a-token"}, 401, "unauthenticated"),
        ({"token": outsider.token}, 404, "not_found"),
        ({"token": guest.token, "headers": [("Origin", "https://evil.example")]}, 403, "forbidden"),
    ]
    for kwargs, status, code in cases:
        stream = await EventStream(board.id, **kwargs).open()
        assert (stream.status, stream.json()["code"]) == (status, code), kwargs
    stream = await EventStream(board.id + 1000, guest.token).open()
    assert (stream.status, stream.json()["code"]) == (404, "not_found")
    assert fanout.local_connections(board.id) == 0


async def test_a_removed_participant_is_told_and_the_stream_ends(board, guest, host):
    stream = await opened(board.id, guest.token)
    await stream.next_event("snapshot")
    await database_sync_to_async(apply_op_request)(board.id, host.id, "participant.remove", {"id": guest.id})
    assert (await stream.next_event("op"))["frame"]["op"] in ("participant.remove", "redacted")
    assert (await stream.next_event("error"))["frame"]["code"] == "forbidden"
    while await stream.poll() is not None:
        pass
    assert stream.ended
    again = await EventStream(board.id, guest.token).open()
    assert again.status in (401, 404)


async def test_streams_per_participant_are_capped(board, guest, monkeypatch):
    monkeypatch.setattr(events, "MAX_STREAMS_PER_PARTICIPANT", 2)
    streams = [await opened(board.id, guest.token) for _ in range(2)]
    for stream in streams:
        await stream.next_event("snapshot")
    refused = await EventStream(board.id, guest.token).open()
    assert (refused.status, refused.json()["code"]) == (429, "rate_limited")
    await streams[0].close()
    await asyncio.sleep(0.05)
    replacement = await opened(board.id, guest.token)
    await replacement.next_event("snapshot")
    for stream in (streams[1], replacement):
        await stream.close()
    assert events._streams == {} and events._addresses == {}


async def test_streams_per_address_are_capped_and_others_still_served(
    board, guest, second_guest, host, settings
):
    settings.SSE_MAX_STREAMS_PER_ADDRESS = 3
    streams = [await opened(board.id, p.token) for p in (guest, second_guest, host)]
    for stream in streams:
        await stream.next_event("snapshot")
    refused = await EventStream(board.id, guest.token).open()
    assert (refused.status, refused.json()["code"]) == (429, "rate_limited")
    # The board goes on for those connected.
    await add_notes(board, host, ["still here"])
    for stream in streams:
        assert (await stream.next_event("op"))["frame"]["data"]["text"] == "still here"
        await stream.close()


async def test_a_client_that_never_reads_is_cut_off(board, guest, second_guest, settings):
    """The server's send() waits once the client's window is full (uvicorn does so;
    here a send that blocks after 8 KiB): past the buffer the stream is ended."""
    settings.SSE_SEND_BUFFER_BYTES = 64 * 1024
    path = f"/api/v1/boards/{board.id}/events/"
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"authorization", f"Token {guest.token}".encode())],
        "client": ("127.0.0.1", 40001),
        "server": ("testserver", 80),
    }
    sent = []
    window_full = asyncio.Event()
    requested = []

    async def receive():
        if not requested:
            requested.append(True)
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client never disconnects either

    async def send(message):
        sent.append(message)
        if sum(len(m.get("body", b"")) for m in sent) > 8 * 1024:
            window_full.set()
            await asyncio.Event().wait()  # never drained

    task = asyncio.create_task(application(scope, receive, send))
    reader = await opened(board.id, second_guest.token)  # someone who reads
    await reader.next_event("snapshot")
    text = "x" * 1900
    added = 0
    while added < 100 and not task.done():
        await add_notes(board, second_guest, [f"{added} {text}"])
        added += 1
        await asyncio.sleep(0.02)
    await asyncio.wait_for(task, 10)  # the request ended: the server closes the connection
    assert window_full.is_set()
    for _ in range(100):  # it leaves the hub in a task of its own
        if fanout.local_connections(board.id) == 1:
            break
        await asyncio.sleep(0.02)
    assert fanout.local_connections(board.id) == 1  # only the reader is left
    assert events._streams == {second_guest.id: 1}
    first = parse_events(b"".join(m.get("body", b"") for m in sent).decode(errors="replace"))
    assert first[0] == {"retry": str(events.RETRY_MS)}
    assert 30 < added < 100  # cut off once its buffer passed 64 KiB, not before
    seqs = [(await reader.next_event("op"))["frame"]["seq"] for _ in range(added)]
    assert seqs == list(range(1, added + 1))
    await reader.close()


async def test_posted_ops_keep_the_sockets_limits(board, guest, monkeypatch):
    big = {"op": "note.add", "client_op_id": "big", "data": {"section": "says", "text": "x" * 70_000}}
    status, body = await post_op(board.id, big, guest.token)
    assert (status, body["code"]) == (413, "too_large")
    monkeypatch.setattr("boards.consumers.PARTICIPANT_OPS_PER_MINUTE", 60)
    monkeypatch.setattr("boards.consumers.OP_BURST", 3)
    monkeypatch.setattr("boards.api._http_op_buckets", {})
    answers = []
    for n in range(5):
        op = {"op": "note.add", "client_op_id": f"r{n}", "data": {"section": "says", "text": str(n)}}
        answers.append(await post_op(board.id, op, guest.token))
    assert [s for s, _ in answers] == [200, 200, 200, 429, 429]
    assert answers[3][1] == {
        "code": "rate_limited",
        "message": answers[3][1]["message"],
        "client_op_id": "r3",
    }
    assert json.dumps(answers[0][1]).count('"seq"') == 2  # the answer and its op


async def test_a_hub_made_by_a_stream_reads_on_the_orm_thread_after_that_stream_ends(
    board, guest, second_guest, settings, monkeypatch
):
    """Django gives each request a thread of its own for database calls, ended with the request.
    The hub a stream creates outlives it: its beat must read on the process's one ORM thread
    (where the consumer's calls go), and still deliver what the layer lost."""
    import threading

    from boards import broadcast
    from tests.boards.ws import connect, next_frame

    settings.WS_HEARTBEAT_SECONDS = 1
    threads = []
    board_seq = fanout._board_seq

    def recording(board_id):
        threads.append(threading.get_ident())
        return board_seq(board_id)

    monkeypatch.setattr(fanout, "_board_seq", recording)
    orm_thread = await database_sync_to_async(threading.get_ident)()
    stream = await opened(board.id, guest.token)  # makes the board's hub
    await stream.next_event("snapshot")
    ws = await connect(board.id, second_guest.token)
    await next_frame(ws, "snapshot")
    await stream.close()
    monkeypatch.setattr(broadcast, "publish", lambda board_id, event: None)  # only the beat can deliver it
    await add_notes(board, guest, ["found by the beat"])
    frame = await next_frame(ws, "op", "heartbeat", timeout=5)
    while frame["type"] == "heartbeat":
        frame = await next_frame(ws, "op", "heartbeat", timeout=5)
    assert frame["data"]["text"] == "found by the beat"
    assert threads and set(threads) == {orm_thread}
    await ws.disconnect()


async def test_text_with_line_breaks_stays_one_event(board, guest):
    stream = await opened(board.id, guest.token)
    await stream.next_event("snapshot")
    text = "line one\nline two\r\n\n: not a comment\ndata: not a field"
    await add_notes(board, guest, [text])
    event = await stream.next_event("op")
    assert event["frame"]["data"]["text"] == text
    assert "\n" not in event["data"]
    await stream.close()
