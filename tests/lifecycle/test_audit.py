"""The team's audit log: what it records, who may read it, and its CSV."""

import csv
import io

import pytest

from accounts.models import Membership, Role
from accounts.services import do_remove_member

pytestmark = pytest.mark.django_db


def test_it_records_the_life_of_a_workshop(api, maya_team, workshop):
    api.post(f"/api/v1/workshops/{workshop.id}/close/")
    api.post(f"/api/v1/workshops/{workshop.id}/archive/")
    api.delete(f"/api/v1/workshops/{workshop.id}/")
    rows = api.get(f"/api/v1/teams/{maya_team.id}/audit/").json()
    assert [r["action"] for r in rows] == [
        "workshop.deleted", "workshop.archived", "workshop.closed", "workshop.created",
    ]  # fmt: skip
    assert {r["workshop_title"] for r in rows} == {"First-time e-bike owner"}
    assert {r["actor"] for r in rows} == {"maya"}


def test_it_records_a_member_removed(api, make_user, maya_team):
    sam = make_user("sam")
    membership = Membership.objects.create(team=maya_team, user=sam, role=Role.MEMBER)
    do_remove_member(membership)
    (row,) = api.get(f"/api/v1/teams/{maya_team.id}/audit/").json()
    assert row["action"] == "member.removed" and row["detail"] == "sam was removed"


def test_only_owners_read_it(client, make_user, maya_team):
    fred = make_user("fred")
    Membership.objects.create(team=maya_team, user=fred, role=Role.FACILITATOR)
    client.force_login(fred)
    assert client.get(f"/api/v1/teams/{maya_team.id}/audit/").status_code == 403
    assert client.get(f"/teams/{maya_team.id}/audit/").status_code == 404
    client.force_login(make_user("eve"))
    assert client.get(f"/api/v1/teams/{maya_team.id}/audit/").status_code == 404


def test_it_downloads_as_csv_without_spreadsheet_formulas(api, client, maya, maya_team, workshop):
    workshop.title = "=HYPERLINK(1)"
    workshop.save()
    api.post(f"/api/v1/workshops/{workshop.id}/close/")
    client.force_login(maya)
    response = client.get(f"/teams/{maya_team.id}/audit/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["action"] == "workshop.closed" and rows[0]["workshop_title"] == "'=HYPERLINK(1)"
