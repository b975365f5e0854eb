"""The same facilitation rules through REST: ops, snapshots, the op log and the participant list."""

from rest_framework.test import APIClient

from boards.models import Board, Workshop
from tests.facilitation.conftest import do


def _as(participant):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {participant.token}")
    return client


def test_a_participant_posting_a_facilitator_op_is_refused(board, ana):
    response = _as(ana).post(
        f"/api/v1/boards/{board.id}/ops/",
        {"op": "phase.set", "client_op_id": "x1", "data": {"phase": "vote"}},
        format="json",
    )
    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": "Only a facilitator can do that.",
        "client_op_id": "x1",
    }
    assert Workshop.objects.get(id=board.workshop_id).phase == "open"
    assert Board.objects.get(id=board.id).seq == 0


def test_snapshots_and_the_log_are_redacted_over_rest(board, maya, ana, ben):
    do(board, maya, "phase.set", {"phase": "write"})
    do(board, ana, "note.add", {"section": "says", "text": "secret until the reveal"})
    snapshot = _as(ben).get(f"/api/v1/boards/{board.id}/").json()
    assert snapshot["notes"] == [] and snapshot["facilitation"]["private_counts"] == {"says": 1}
    assert isinstance(snapshot["server_now"], int)
    ops = _as(ben).get(f"/api/v1/boards/{board.id}/ops/?since=0").json()["ops"]
    assert [op["op"] for op in ops] == ["phase.set", "redacted"]
    assert "secret" not in str(_as(ben).get(f"/api/v1/boards/{board.id}/ops/?since=0").content)
    mine = _as(ana).get(f"/api/v1/boards/{board.id}/").json()
    assert [n["text"] for n in mine["notes"]] == ["secret until the reveal"]


def test_facilitators_list_participants_and_others_may_not(workshop, maya, ana):
    people = _as(maya).get(f"/api/v1/workshops/{workshop.id}/participants/").json()
    assert {(p["display_name"], p["role"]) for p in people} == {
        ("Maya", "facilitator"),
        (ana.display_name, "participant"),
    }
    response = _as(ana).get(f"/api/v1/workshops/{workshop.id}/participants/")
    assert response.status_code == 403
