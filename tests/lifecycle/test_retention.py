"""Retention: team and workshop settings within bounds, and the purge deleting what is due."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from boards.models import Workshop
from lifecycle import clock, services
from lifecycle.models import AuditEntry, RetentionPolicy

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved_clock(monkeypatch):
    """Moves lifecycle's clock (lifecycle/clock.py) to `now + days`."""

    def move(days):
        moment = timezone.now() + timedelta(days=days)
        monkeypatch.setattr(clock, "now", lambda: moment)
        return moment

    return move


@pytest.mark.parametrize("days", [0, -1, 3651, 36500, "30", 1.5, True])
def test_a_retention_out_of_bounds_is_refused_and_changes_nothing(api, maya_team, workshop, days):
    team = api.put(f"/api/v1/teams/{maya_team.id}/retention/", {"days": days}, format="json")
    assert team.status_code == 400 and team.json()["code"] == "invalid"
    assert "1 to 3650" in team.json()["message"]
    one = api.put(f"/api/v1/workshops/{workshop.id}/retention/", {"days": days}, format="json")
    assert one.status_code == 400
    assert not RetentionPolicy.objects.exists()
    assert Workshop.objects.get(id=workshop.id).retention_days is None
    assert not AuditEntry.objects.filter(action="retention.changed").exists()


def test_it_is_off_by_default_and_owners_set_it(api, maya_team, workshop):
    assert api.get(f"/api/v1/teams/{maya_team.id}/retention/").json() == {"days": None}
    assert api.put(f"/api/v1/teams/{maya_team.id}/retention/", {"days": 30}, format="json").json() == {
        "days": 30
    }
    api.post(f"/api/v1/workshops/{workshop.id}/close/")
    body = api.get(f"/api/v1/workshops/{workshop.id}/lifecycle/").json()
    workshop.refresh_from_db()
    assert body["team_retention_days"] == 30 and body["retention_days"] is None
    assert body["delete_at"] == (workshop.closed_at + timedelta(days=30)).isoformat()
    assert AuditEntry.objects.filter(action="retention.changed", actor_name="maya").count() == 1


def test_facilitators_cannot_change_the_team_setting(client, make_user, maya_team):
    from accounts.models import Membership, Role

    fred = make_user("fred")
    Membership.objects.create(team=maya_team, user=fred, role=Role.FACILITATOR)
    client.force_login(fred)
    response = client.put(
        f"/api/v1/teams/{maya_team.id}/retention/", {"days": 5}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not RetentionPolicy.objects.exists()


def test_the_purge_deletes_a_workshop_30_days_after_it_closed(api, maya_team, workshop, moved_clock):
    api.put(f"/api/v1/teams/{maya_team.id}/retention/", {"days": 30}, format="json")
    api.post(f"/api/v1/workshops/{workshop.id}/close/")
    moved_clock(29)
    assert services.purge_due_workshops() == []
    assert Workshop.objects.filter(id=workshop.id).exists()
    moved_clock(30.01)
    out = StringIO()
    call_command("purge_workshops", stdout=out)
    assert not Workshop.objects.filter(id=workshop.id).exists()
    assert (
        f"deleted: workshop {workshop.id} “First-time e-bike owner” of Bike repair franchise"
        in out.getvalue()
    )
    assert "1 workshop(s) deleted." in out.getvalue()
    entry = AuditEntry.objects.get(action="workshop.deleted")
    assert entry.actor is None and entry.detail == "retention: 30 days after closing"


def test_a_workshop_override_wins_over_the_team(api, maya_team, workshop, moved_clock):
    api.put(f"/api/v1/teams/{maya_team.id}/retention/", {"days": 365}, format="json")
    api.put(f"/api/v1/workshops/{workshop.id}/retention/", {"days": 7}, format="json")
    api.post(f"/api/v1/workshops/{workshop.id}/close/")
    moved_clock(8)
    assert [w["id"] for w in services.purge_due_workshops()] == [workshop.id]


def test_open_workshops_and_kept_ones_are_never_purged(api, maya_team, workshop, moved_clock):
    api.put(f"/api/v1/teams/{maya_team.id}/retention/", {"days": 1}, format="json")
    moved_clock(3650)
    out = StringIO()
    call_command("purge_workshops", "--dry-run", stdout=out)
    assert "0 workshop(s) due" in out.getvalue()
    assert services.purge_due_workshops() == []
    assert Workshop.objects.filter(id=workshop.id).exists()


def test_the_background_task_runs_the_same_purge(api, maya_team, workshop, moved_clock, settings):
    from lifecycle import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    api.put(f"/api/v1/teams/{maya_team.id}/retention/", {"days": 2}, format="json")
    api.post(f"/api/v1/workshops/{workshop.id}/close/")
    moved_clock(3)
    result = tasks.purge_workshops.enqueue()
    assert [w["id"] for w in result.return_value] == [workshop.id]
    assert not Workshop.objects.filter(id=workshop.id).exists()
