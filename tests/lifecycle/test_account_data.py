"""An account holder's data across workshops: export all, erase all, delete the account."""

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Membership, Role
from boards.models import Note, Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(make_user, maya_team, workshop, board, do):
    """A team member who wrote a note in Maya's workshop."""
    sam = make_user("sam", email="sam@example.com")
    Membership.objects.create(team=maya_team, user=sam, role=Role.MEMBER)
    from boards.access import participant_for

    me = participant_for(sam, workshop)
    do(board, me, "note.add", section="says", text="Sam's words")
    return sam


def test_it_exports_the_account_and_every_workshop(client, sam):
    client.force_login(sam)
    body = client.get("/api/v1/account/data/").json()
    assert body["account"]["username"] == "sam" and body["account"]["email"] == "sam@example.com"
    assert body["teams"][0]["role"] == "member"
    assert [n["text"] for w in body["workshops"] for n in w["notes"]] == ["Sam's words"]
    page = client.get("/account/data/?format=json")
    assert page.status_code == 200 and b"Sam's words" in page.content
    assert "attachment" in page["Content-Disposition"]


def test_it_erases_everything_through_ops(client, sam, board):
    client.force_login(sam)
    body = client.delete("/api/v1/account/data/").json()
    assert body["refused"] == [] and body["erased"][0]["notes"] == 1
    assert not Note.objects.filter(text="Sam's words").exists()
    assert board.ops.filter(kind="participant.erase").count() == 1


def test_guests_have_no_account_endpoint(guest_api, guest):
    response = guest_api(guest).get("/api/v1/account/data/")
    assert response.status_code == 403


def test_deleting_the_account_needs_the_password_and_erases_first(client, sam, password):
    client.force_login(sam)
    wrong = client.delete("/api/v1/account/", {"password": "nope"}, content_type="application/json")
    assert wrong.status_code == 400
    assert get_user_model().objects.filter(username="sam").exists()
    ok = client.delete("/api/v1/account/", {"password": password}, content_type="application/json")
    assert ok.status_code == 200
    assert not get_user_model().objects.filter(username="sam").exists()
    assert not Note.objects.filter(text="Sam's words").exists()
    assert not Participant.objects.filter(display_name="sam").exists()


def test_the_last_owner_of_a_team_with_others_cannot_delete_the_account(client, maya, maya_team, sam):
    client.force_login(maya)
    maya.set_password("pw-of-maya-123")
    maya.save()
    client.force_login(maya)
    response = client.delete(
        "/api/v1/account/", {"password": "pw-of-maya-123"}, content_type="application/json"
    )
    assert response.status_code == 403 and "last owner" in response.json()["message"]
    assert get_user_model().objects.filter(username="maya").exists()
