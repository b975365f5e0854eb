"""POST /api/v1/workshops/{id}/close/ and /reopen/: the door refuses ops and joins with `closed`."""

import pytest

from boards.models import Board, Note, Op, Participant
from boards.ops import ops_after
from lifecycle.models import AuditEntry

pytestmark = pytest.mark.django_db


def _close(client, workshop):
    return client.post(f"/api/v1/workshops/{workshop.id}/close/")


def _state(workshop):
    return (
        Note.objects.filter(board__workshop=workshop).count(),
        list(Board.objects.filter(workshop=workshop).values_list("seq", flat=True)),
        Participant.objects.filter(workshop=workshop).count(),
    )


def test_a_facilitator_closes_it_and_every_board_logs_it(api, workshop, board):
    response = _close(api, workshop)
    assert response.status_code == 200
    body = response.json()
    workshop.refresh_from_db()
    assert body["status"] == "closed" and body["closed_at"] == workshop.closed_at.isoformat()
    (event,) = ops_after(board.id, 0)
    assert event["op"] == "workshop.close" and event["data"] == {"closed_at": body["closed_at"]}
    assert AuditEntry.objects.filter(action="workshop.closed", workshop_ref=workshop.id).count() == 1


def test_ops_on_a_closed_workshop_are_refused_with_closed(api, guest_api, workshop, board, guest):
    _close(api, workshop)
    before = _state(workshop)
    response = guest_api(guest).post(
        f"/api/v1/boards/{board.id}/ops/",
        {"op": "note.add", "client_op_id": "late-1", "data": {"section": "says", "text": "too late"}},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "closed" and response.json()["client_op_id"] == "late-1"
    assert _state(workshop) == before


def test_joining_a_closed_workshop_is_refused_with_closed(api, client, workshop):
    _close(api, workshop)
    before = _state(workshop)
    response = client.post(
        "/api/v1/join/", {"code": workshop.join_code, "display_name": "Late"}, format="json"
    )
    assert response.status_code == 409
    assert response.json() == {
        "code": "closed",
        "message": "This workshop is closed: nobody can join it any more.",
    }
    assert _state(workshop) == before


def test_a_closed_workshop_stays_readable_and_exportable(api, workshop, board):
    _close(api, workshop)
    assert api.get(f"/api/v1/boards/{board.id}/").json()["closed_at"] is not None
    markdown = api.get(f"/api/v1/workshops/{workshop.id}/export/?format=md")
    assert markdown.status_code == 200
    assert b"**Status:** closed since" in markdown.content


def test_closing_twice_is_refused_and_logs_nothing(api, workshop, board):
    _close(api, workshop)
    seq = Board.objects.get(id=board.id).seq
    response = _close(api, workshop)
    assert response.status_code == 409 and response.json()["code"] == "closed"
    assert Board.objects.get(id=board.id).seq == seq


def test_reopening_lets_ops_and_joins_in_again(api, guest_api, client, workshop, board, guest):
    _close(api, workshop)
    response = api.post(f"/api/v1/workshops/{workshop.id}/reopen/")
    assert response.status_code == 200 and response.json()["status"] == "open"
    assert [e["op"] for e in ops_after(board.id, 0)] == ["workshop.close", "workshop.reopen"]
    ok = guest_api(guest).post(
        f"/api/v1/boards/{board.id}/ops/", {"op": "note.add", "data": {"section": "says"}}, format="json"
    )
    assert ok.status_code == 200
    assert (
        client.post("/api/v1/join/", {"code": workshop.join_code, "display_name": "Ann"}).status_code == 201
    )


def test_reopening_an_open_workshop_is_invalid(api, workshop, board):
    response = api.post(f"/api/v1/workshops/{workshop.id}/reopen/")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert not Op.objects.filter(board=board).exists()


def test_guests_and_outsiders_cannot_close(guest_api, client, make_user, workshop, guest):
    response = guest_api(guest).post(f"/api/v1/workshops/{workshop.id}/close/")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    client.force_login(make_user("eve"))
    assert client.post(f"/api/v1/workshops/{workshop.id}/close/").status_code == 404
    workshop.refresh_from_db()
    assert workshop.closed_at is None


def test_the_close_op_cannot_be_sent_with_data(do, board, host):
    from boards.errors import Invalid

    with pytest.raises(Invalid):
        do(board, host, "workshop.close", when="now")
    assert Board.objects.get(id=board.id).seq == 0
