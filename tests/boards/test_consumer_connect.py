"""Who may open a board socket, and what they get first."""

import pytest
from channels.db import database_sync_to_async
from django.contrib.sessions.backends.db import SessionStore

from boards.auth import SESSION_KEY
from boards.models import Participant, ParticipantRole
from boards.ops import apply_op_request
from tests.boards.ws import close_code, connect, next_frame, socket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]


async def test_a_token_holder_gets_a_snapshot(board, maya_token, guest):
    await database_sync_to_async(apply_op_request)(
        board.id, guest.id, "note.add", {"section": "says", "text": "hi"}
    )
    ws = await connect(board.id, maya_token)
    frame = await next_frame(ws, "snapshot")
    assert frame["seq"] == 1
    assert frame["board"]["seq"] == 1
    assert [n["text"] for n in frame["board"]["notes"]] == ["hi"]
    assert [s["key"] for s in frame["board"]["sections"]] == ["says", "thinks", "does", "feels"]
    await ws.disconnect()


async def test_a_guest_token_works_too(board, guest):
    ws = await connect(board.id, guest.token)
    assert (await next_frame(ws, "snapshot"))["seq"] == 0
    await ws.disconnect()


def _guest_cookie(participant) -> str:
    session = SessionStore()
    session[SESSION_KEY] = {str(participant.workshop_id): participant.id}
    session.create()
    return f"sessionid={session.session_key}"


async def test_a_guest_browser_session_works(board, guest):
    cookie = await database_sync_to_async(_guest_cookie)(guest)
    ws = await connect(board.id, cookie=cookie)
    assert (await next_frame(ws, "snapshot"))["board"]["id"] == board.id
    await ws.disconnect()


async def test_a_guest_session_of_another_workshop_is_refused(board, other_board):
    from boards.workshops import join_workshop

    stranger = await database_sync_to_async(join_workshop)(other_board.workshop.join_code, "Eve")
    cookie = await database_sync_to_async(_guest_cookie)(stranger)
    assert await close_code(socket(board.id, cookie=cookie)) == 4001


async def test_it_closes_4001_without_credentials(board):
    assert await close_code(socket(board.id)) == 4001


async def test_it_closes_4001_on_a_bad_token(board):
    assert await close_code(socket(board.id, "not-a-token")) == 4001


@pytest.mark.parametrize("origin", [None, "http://evil.example", "null", "file://"])
async def test_it_closes_4003_on_a_missing_or_foreign_origin(board, maya_token, origin):
    assert await close_code(socket(board.id, maya_token, origin=origin)) == 4003


async def test_it_closes_4004_for_outsiders_and_unknown_boards(board, other_board, guest):
    assert await close_code(socket(other_board.id, guest.token)) == 4004
    assert await close_code(socket(999999, guest.token)) == 4004


async def test_a_removed_participant_cannot_connect(board, guest):
    from django.utils import timezone

    await database_sync_to_async(Participant.objects.filter(id=guest.id).update)(removed_at=timezone.now())
    assert await close_code(socket(board.id, guest.token)) == 4001


async def test_observers_connect_and_read(board, guest):
    await database_sync_to_async(Participant.objects.filter(id=guest.id).update)(
        role=ParticipantRole.OBSERVER
    )
    ws = await connect(board.id, guest.token)
    assert (await next_frame(ws, "snapshot"))["seq"] == 0
    await ws.disconnect()


async def test_everyone_on_the_board_is_listed_in_presence(board, guest, second_guest):
    first = await connect(board.id, guest.token)
    await next_frame(first, "snapshot")
    second = await connect(board.id, second_guest.token)
    await next_frame(second, "snapshot")
    names = set()
    while names != {"Jo", "Ravi"}:
        names = {p["name"] for p in (await next_frame(first, "presence"))["participants"]}
    await second.disconnect()
    while names != {"Jo"}:
        names = {p["name"] for p in (await next_frame(first, "presence"))["participants"]}
    await first.disconnect()
