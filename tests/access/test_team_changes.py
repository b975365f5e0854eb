"""Workshop rights follow the team, at every request and every op (accounts/services.py → boards/ops/team.py).

A member removed from the team, or who leaves it, loses their place in the
team's workshops at once: their account token is refused by REST, pages,
exports and the WebSocket, and their open sockets close with 4003. A new team
role gives a new workshop role, which open sockets receive as an op.
"""

import pytest
from channels.db import database_sync_to_async
from rest_framework.test import APIClient

from accounts import services
from accounts.models import Membership, Role
from boards.access import participant_for
from boards.models import Op, Participant
from boards.ops import apply_op_request
from tests.facilitation.ws import Client


def api(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def place(workshop, user) -> Participant:
    return Participant.objects.get(workshop=workshop, user=user)


def refused_everywhere(client, workshop, board, who: str):
    """Every door of the workshop answers as if it did not exist (404), never with its content."""
    answers = {
        "workshop": client.get(f"/api/v1/workshops/{workshop.id}/"),
        "board": client.get(f"/api/v1/boards/{board.id}/"),
        "ops": client.get(f"/api/v1/boards/{board.id}/ops/?since=0"),
        "add a note": client.post(
            f"/api/v1/boards/{board.id}/ops/", {"op": "note.add", "data": {"section": "says"}}, format="json"
        ),
        "lock": client.post(
            f"/api/v1/boards/{board.id}/ops/", {"op": "board.lock", "data": {"locked": True}}, format="json"
        ),
        "participants": client.get(f"/api/v1/workshops/{workshop.id}/participants/"),
        "export": client.get(f"/api/v1/workshops/{workshop.id}/export/?format=json"),
    }
    for door, response in answers.items():
        assert response.status_code == 404, f"{who}: {door} answered {response.status_code}"
    assert not any(w["id"] == workshop.id for w in client.get("/api/v1/workshops/").json())


def test_a_removed_member_is_refused_by_every_door(workshop, board, member, owner, token_of, client):
    token = token_of(member)
    assert api(token).get(f"/api/v1/boards/{board.id}/").status_code == 200
    services.do_remove_member(Membership.objects.get(team=workshop.team, user=member))

    refused_everywhere(api(token), workshop, board, "removed member")
    client.force_login(member)
    for url in (f"/b/{board.id}/", f"/w/{workshop.id}/summary/", f"/w/{workshop.id}/export/?format=md"):
        assert client.get(url).status_code == 404, url
    assert place(workshop, member).removed_at is not None
    # Logged like a facilitator's removal, by nobody: the team did it.
    removal = Op.objects.get(board=board, kind="participant.remove")
    assert removal.data == {"id": place(workshop, member).id} and removal.actor is None


def test_leaving_the_team_leaves_its_workshops(workshop, board, facilitator, token_of):
    token = token_of(facilitator)
    services.do_leave_team(Membership.objects.get(team=workshop.team, user=facilitator))
    refused_everywhere(api(token), workshop, board, "member who left")


def test_a_demoted_facilitator_becomes_an_observer_at_the_next_op(workshop, board, facilitator, token_of):
    fred = place(workshop, facilitator)
    assert fred.role == "facilitator"
    services.do_change_role(Membership.objects.get(team=workshop.team, user=facilitator), Role.VIEWER)

    fred.refresh_from_db()
    assert fred.role == "observer"
    client = api(token_of(facilitator))
    for op, data in [("note.add", {"section": "says"}), ("board.lock", {"locked": True})]:
        answer = client.post(f"/api/v1/boards/{board.id}/ops/", {"op": op, "data": data}, format="json")
        assert answer.status_code == 403, op
    assert client.get(f"/api/v1/workshops/{workshop.id}/participants/").status_code == 403
    # Still on the team as a viewer: reading stays.
    assert client.get(f"/api/v1/boards/{board.id}/").status_code == 200
    change = Op.objects.get(board=board, kind="participant.role")
    assert change.data == {"id": fred.id, "role": "observer"} and change.actor is None


def test_a_member_made_owner_facilitates(workshop, board, member):
    services.do_change_role(Membership.objects.get(team=workshop.team, user=member), Role.OWNER)
    assert place(workshop, member).role == "facilitator"
    apply_op_request(board.id, place(workshop, member).id, "board.lock", {"locked": True})


def test_a_refused_change_changes_no_workshop(workshop, owner):
    """The last owner cannot leave: the membership stays, and so does her place in the workshop."""
    with pytest.raises(services.MembershipError):
        services.do_leave_team(Membership.objects.get(team=workshop.team, user=owner))
    assert place(workshop, owner).removed_at is None
    assert not Op.objects.filter(kind="participant.remove").exists()


def test_participant_for_checks_the_team_even_when_the_services_were_bypassed(workshop, member):
    """A membership deleted behind the services' back (admin, shell) still ends the place."""
    Membership.objects.filter(team=workshop.team, user=member).delete()
    assert participant_for(member, workshop) is None


def test_a_place_taken_with_the_code_is_the_workshops_business(workshop, outsider):
    """An account holder who joined by code, then was in the team for a while, keeps the place the code gave."""
    from boards.workshops import join_workshop

    joined = join_workshop(workshop.join_code, "Eve", user=outsider)
    assert not joined.from_team
    membership = Membership.objects.create(team=workshop.team, user=outsider, role=Role.MEMBER)
    services.do_remove_member(membership)
    assert participant_for(outsider, workshop) == joined


# --- over WebSockets ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_channel_layer")
async def test_a_removed_members_open_sockets_close_with_4003(workshop, board, member, owner, token_of):
    token = await database_sync_to_async(token_of)(member)
    maya_id = (await database_sync_to_async(place)(workshop, member)).id
    first = await Client(board.id, token).connect()
    second = await Client(board.id, token).connect()
    host = await Client(board.id, await database_sync_to_async(token_of)(owner)).connect()

    membership = await database_sync_to_async(Membership.objects.get)(team=workshop.team, user=member)
    await database_sync_to_async(services.do_remove_member)(membership)

    for socket in (first, second):
        await socket.drain(0.5)
        assert socket.closed_with == 4003
        assert socket.frames[-1]["op"] == "participant.remove"
        assert socket.frames[-1]["data"] == {"id": maya_id}
    # The host's socket stays open and saw the removal (facilitators see removals).
    await host.drain(0.3)
    assert host.closed_with is None
    assert any(f.get("op") == "participant.remove" for f in host.frames)
    # Her token no longer opens a socket.
    again = Client(board.id, token)
    connected, _ = await again.comm.connect()
    assert connected
    await again.drain(0.3)
    assert again.closed_with in (4003, 4004)
    await host.comm.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_channel_layer")
async def test_a_demoted_facilitators_socket_gets_the_new_role_and_is_refused_at_the_next_op(
    workshop, board, facilitator, token_of
):
    token = await database_sync_to_async(token_of)(facilitator)
    fred = await Client(board.id, token).connect()
    assert (await fred.op("board.lock", {"locked": True}))["type"] == "ack"

    membership = await database_sync_to_async(Membership.objects.get)(team=workshop.team, user=facilitator)
    await database_sync_to_async(services.do_change_role)(membership, Role.VIEWER)
    await fred.drain(0.3)
    assert any(f.get("op") == "participant.role" and f["data"]["role"] == "observer" for f in fred.frames)

    answer = await fred.op("board.lock", {"locked": False})
    assert answer["type"] == "error" and answer["code"] == "forbidden"
    answer = await fred.op("note.add", {"section": "says", "text": "still here?"})
    assert answer["type"] == "error" and answer["code"] == "forbidden"
    assert fred.closed_with is None
    await fred.comm.disconnect()
