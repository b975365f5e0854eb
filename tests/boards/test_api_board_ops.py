"""REST: board snapshots and the ops, through the same door as the WebSocket."""

import pytest
from rest_framework.test import APIClient

from boards import ops
from boards.models import Note, Op, Participant, ParticipantRole


def as_participant(participant):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {participant.token}")
    return client


def post_op(client, board, kind, client_op_id=None, **data):
    body = {"op": kind, "data": data}
    if client_op_id:
        body["client_op_id"] = client_op_id
    return client.post(f"/api/v1/boards/{board.id}/ops/", body, format="json")


def test_an_op_over_rest_is_applied_logged_and_acked(board, guest):
    response = post_op(
        as_participant(guest), board, "note.add", "r-1", section="thinks", text="Did I buy a lemon?"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["seq"], body["client_op_id"], body["duplicate"]) == (1, "r-1", False)
    assert body["op"]["data"]["text"] == "Did I buy a lemon?"
    assert Op.objects.get(board=board).client_op_id == "r-1"
    again = post_op(
        as_participant(guest), board, "note.add", "r-1", section="thinks", text="Did I buy a lemon?"
    )
    assert (again.json()["seq"], again.json()["duplicate"]) == (1, True)
    assert Note.objects.count() == 1


def test_the_snapshot_shows_what_the_ops_did(board, guest):
    client = as_participant(guest)
    post_op(client, board, "note.add", section="says", text="one")
    snapshot = client.get(f"/api/v1/boards/{board.id}/").json()
    assert snapshot["seq"] == 1
    assert snapshot["kind"] == "empathy-map"
    assert [(n["section"], n["text"]) for n in snapshot["notes"]] == [("says", "one")]


def test_ops_can_be_read_since_a_seq(board, guest):
    client = as_participant(guest)
    for text in "abc":
        post_op(client, board, "note.add", section="says", text=text)
    body = client.get(f"/api/v1/boards/{board.id}/ops/?since=1").json()
    assert [(o["seq"], o["data"]["text"]) for o in body["ops"]] == [(2, "b"), (3, "c")]
    assert client.get(f"/api/v1/boards/{board.id}/ops/?since=x").status_code == 400


@pytest.mark.parametrize(
    "kind, data, status, code",
    [
        ("note.fly", {}, 400, "invalid"),
        ("note.add", {"section": "nope"}, 400, "invalid"),
        ("note.update", {"id": 99999, "text": "x"}, 404, "not_found"),
    ],
)
def test_bad_ops_get_an_error_naming_them_and_change_nothing(board, guest, kind, data, status, code):
    response = post_op(as_participant(guest), board, kind, "r-9", **data)
    assert response.status_code == status
    assert response.json() == {"code": code, "message": response.json()["message"], "client_op_id": "r-9"}
    assert not Op.objects.exists()


def test_observers_may_read_but_not_write(board, guest):
    Participant.objects.filter(id=guest.id).update(role=ParticipantRole.OBSERVER)
    client = as_participant(guest)
    assert client.get(f"/api/v1/boards/{board.id}/").status_code == 200
    assert post_op(client, board, "note.add", section="says").status_code == 403
    assert not Note.objects.exists()


def test_it_rejects_outsiders(board, outsider):
    client = APIClient()
    client.force_authenticate(outsider)
    assert client.get(f"/api/v1/boards/{board.id}/").status_code == 404
    assert post_op(client, board, "note.add", section="says").status_code == 404
    assert not Note.objects.exists()


def test_team_viewers_read_as_observers(board, maya_team, viewer):
    from accounts.models import Membership, Role

    Membership.objects.create(team=maya_team, user=viewer, role=Role.VIEWER)
    client = APIClient()
    client.force_authenticate(viewer)
    assert client.get(f"/api/v1/boards/{board.id}/").status_code == 200
    assert post_op(client, board, "note.add", section="says").status_code == 403


@pytest.mark.django_db(transaction=True)
async def test_rest_and_websocket_reach_the_same_op_function(board, guest, monkeypatch, fresh_channel_layer):
    from asgiref.sync import sync_to_async

    from tests.boards.ws import connect, next_frame, send

    calls = []
    spec = ops.OPS["note.add"]

    def spy(board_, actor, data):
        calls.append(data["text"])
        return spec.apply(board_, actor, data)

    monkeypatch.setitem(ops.OPS, "note.add", ops.core.OpSpec("note.add", spy))
    await sync_to_async(post_op)(as_participant(guest), board, "note.add", section="says", text="via REST")
    ws = await connect(board.id, guest.token)
    await next_frame(ws, "snapshot")
    await send(
        ws,
        {
            "type": "op",
            "op": "note.add",
            "client_op_id": "w-1",
            "data": {"section": "says", "text": "via WS"},
        },
    )
    # The ack and the op itself, in either order (the protocol orders neither).
    assert {(await next_frame(ws, "ack", "op"))["type"] for _ in range(2)} == {"ack", "op"}
    await ws.disconnect()
    assert calls == ["via REST", "via WS"]
