"""REST: many ops in one request, each through the op door, answered in order."""

from rest_framework.test import APIClient

from boards.api import MAX_BATCH_OPS
from boards.models import Note, Op
from boards.ops import ops_after
from boards.state import apply_op, board_snapshot


def as_participant(participant):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {participant.token}")
    return client


def add(i, section="says", **extra):
    return {
        "op": "note.add",
        "client_op_id": f"imp-{i}",
        "data": {"section": section, "text": f"note {i}"},
        **extra,
    }


def batch(client, board, ops):
    return client.post(f"/api/v1/boards/{board.id}/ops/batch/", {"ops": ops}, format="json")


def test_each_op_is_acked_in_order_and_the_log_replays_to_the_board(board, guest):
    before = board_snapshot(board.id)
    response = batch(as_participant(guest), board, [add(i) for i in range(5)])
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["type"], r["client_op_id"], r["seq"], r["duplicate"]) for r in results] == [
        ("ack", f"imp-{i}", i + 1, False) for i in range(5)
    ]
    state = before
    for event in ops_after(board.id, 0):
        state = apply_op(state, event)
    assert state == board_snapshot(board.id)
    assert [n["text"] for n in state["notes"]] == [f"note {i}" for i in range(5)]


def test_a_refused_op_is_answered_and_the_others_still_apply(board, guest):
    ops = [
        add(0),
        add(1, section="nowhere"),
        "not an object",
        {"op": "note.fly"},
        add(2),
        add(3, client_op_id=7),
    ]
    results = batch(as_participant(guest), board, ops).json()["results"]
    assert [(r["type"], r.get("code")) for r in results] == [
        ("ack", None),
        ("error", "invalid"),
        ("error", "invalid"),
        ("error", "invalid"),
        ("ack", None),
        ("error", "invalid"),
    ]
    assert results[1]["client_op_id"] == "imp-1" and results[5]["client_op_id"] is None
    assert [r["seq"] for r in results if r["type"] == "ack"] == [1, 2]
    assert Note.objects.count() == 2


def test_a_re_sent_batch_is_not_applied_twice(board, guest):
    client = as_participant(guest)
    batch(client, board, [add(i) for i in range(3)])
    again = batch(client, board, [add(i) for i in range(4)]).json()["results"]
    assert [(r["seq"], r["duplicate"]) for r in again] == [(1, True), (2, True), (3, True), (4, False)]
    assert Note.objects.count() == 4


def test_a_batch_goes_through_the_same_door_as_one_op(board, guest, workshop):
    workshop.boards.update(locked=True)
    results = batch(as_participant(guest), board, [add(0)]).json()["results"]
    assert results[0]["type"] == "error" and results[0]["code"] == "forbidden"
    assert not Op.objects.exists()


def test_a_batch_is_bounded(board, guest):
    assert MAX_BATCH_OPS == 500
    client = as_participant(guest)
    response = batch(client, board, [add(i) for i in range(MAX_BATCH_OPS + 1)])
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert not Op.objects.exists()
    response = batch(client, board, [add(i) for i in range(MAX_BATCH_OPS)])
    assert response.status_code == 200
    assert Note.objects.count() == MAX_BATCH_OPS


def test_a_body_that_is_not_a_batch_is_refused(board, guest):
    client = as_participant(guest)
    for body in ([add(0)], {"ops": "x"}, {}):
        response = client.post(f"/api/v1/boards/{board.id}/ops/batch/", body, format="json")
        assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert not Op.objects.exists()


def test_outsiders_get_not_found(board, other_board, guest):
    response = batch(as_participant(guest), other_board, [add(0)])
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert (
        APIClient().post(f"/api/v1/boards/{board.id}/ops/batch/", {"ops": []}, format="json").status_code
        == 401
    )
