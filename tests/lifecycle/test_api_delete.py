"""DELETE /api/v1/workshops/{id}/: 204, and nothing of the workshop stays in any table."""

import pytest
from django.apps import apps
from django.db import models

from boards.models import Board, Note, Op, Participant, ShareLink, Workshop
from lifecycle.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_workshop(workshop, board, host, guest, do):
    """Notes, a vote, a cluster, a share link, people: a bit of everything."""
    first = do(board, guest, "note.add", section="says", text="Needs it Monday").event["data"]["id"]
    do(board, host, "note.add", section="thinks", text="Is it safe?")
    do(board, host, "cluster.create", note_ids=[first], title="Urgency")
    do(board, host, "phase.set", phase="vote")
    do(board, guest, "vote.add", note_id=first)
    ShareLink.objects.create(workshop=workshop, created_by=host.user)
    return workshop


def _rows_pointing_at(ids_by_model) -> dict:
    """Every row of every table whose foreign key points at one of these rows."""
    found = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.ForeignKey | models.OneToOneField):
                continue
            ids = ids_by_model.get(field.related_model)
            if ids:
                n = model._base_manager.filter(**{f"{field.attname}__in": ids}).count()
                if n:
                    found[f"{model._meta.label}.{field.name}"] = n
    return found


def test_delete_answers_204_and_leaves_nothing_in_any_table(api, busy_workshop):
    workshop = busy_workshop
    ids = {
        Workshop: [workshop.id],
        Board: list(workshop.boards.values_list("id", flat=True)),
        Participant: list(workshop.participants.values_list("id", flat=True)),
        Note: list(Note.objects.filter(board__workshop=workshop).values_list("id", flat=True)),
        Op: list(Op.objects.filter(board__workshop=workshop).values_list("id", flat=True)),
    }
    assert _rows_pointing_at(ids), "the check must see the rows before the deletion"
    response = api.delete(f"/api/v1/workshops/{workshop.id}/")
    assert response.status_code == 204
    assert _rows_pointing_at(ids) == {}
    for model, model_ids in ids.items():
        assert not model.objects.filter(id__in=model_ids).exists(), model
    # The audit log is the one record kept, by design: who deleted which title, when.
    entry = AuditEntry.objects.get(action="workshop.deleted", workshop_ref=workshop.id)
    assert entry.workshop_title == "First-time e-bike owner" and entry.actor_name == "maya"
    # No text column anywhere else still holds the workshop's title or its notes' words.
    for model in apps.get_models():
        if model is AuditEntry:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField | models.TextField) and field.concrete:
                for needle in ("Needs it Monday", "First-time e-bike owner"):
                    hit = model._base_manager.filter(**{f"{field.attname}__contains": needle}).exists()
                    assert not hit, f"{model._meta.label}.{field.name} still holds {needle!r}"


def test_deleting_twice_is_not_found_and_logs_once(api, workshop):
    assert api.delete(f"/api/v1/workshops/{workshop.id}/").status_code == 204
    again = api.delete(f"/api/v1/workshops/{workshop.id}/")
    assert again.status_code == 404 and again.json()["code"] == "not_found"
    assert AuditEntry.objects.filter(action="workshop.deleted").count() == 1


def test_members_and_guests_cannot_delete(api, guest_api, client, make_user, maya_team, workshop, guest):
    from accounts.models import Membership, Role

    member = make_user("sam")
    Membership.objects.create(team=maya_team, user=member, role=Role.MEMBER)
    client.force_login(member)
    response = client.delete(f"/api/v1/workshops/{workshop.id}/")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert guest_api(guest).delete(f"/api/v1/workshops/{workshop.id}/").status_code == 404
    client.force_login(make_user("eve"))
    assert client.delete(f"/api/v1/workshops/{workshop.id}/").status_code == 404
    assert Workshop.objects.filter(id=workshop.id).exists()


def test_get_still_answers_on_the_same_url(api, workshop):
    body = api.get(f"/api/v1/workshops/{workshop.id}/").json()
    assert body["id"] == workshop.id and body["closed_at"] is None and body["archived_at"] is None


def test_a_journey_map_with_notes_in_cells_and_scores_is_deleted_whole(api, maya, maya_team, workshop, do):
    """Notes in cells hold their stage and lane with RESTRICT; deleting the whole workshop still works."""
    from boards.models import EmotionScore, Template
    from boards.workshops import create_workshop, join_workshop

    journey = create_workshop(
        maya, maya_team, "Journey", Template.objects.get(team__isnull=True, slug="journey-map")
    )
    board = journey.boards.get()
    ana = join_workshop(journey.join_code, "Ana")
    stage, lane = board.stages.first(), board.lanes.filter(kind="notes").first()
    do(board, ana, "note.add", stage=stage.key, lane=lane.key, text="The wait is long")
    do(board, ana, "emotion.set", stage=stage.key, persona=board.personas.first().id, score=-3)
    assert api.delete(f"/api/v1/workshops/{journey.id}/").status_code == 204
    assert not Board.objects.filter(id=board.id).exists()
    assert not Note.objects.filter(board_id=board.id).exists()
    assert not EmotionScore.objects.exists()
    assert Workshop.objects.filter(id=workshop.id).exists()  # the other workshop is untouched


def test_a_deleted_workshops_guest_token_opens_nothing(api, guest_api, workshop, board, guest):
    client = guest_api(guest)
    assert client.get(f"/api/v1/boards/{board.id}/").status_code == 200
    api.delete(f"/api/v1/workshops/{workshop.id}/")
    response = client.get(f"/api/v1/boards/{board.id}/")
    assert response.status_code in (401, 404) and response.json()["code"] in ("unauthenticated", "not_found")


def test_cached_exports_leave_the_disk_with_the_workshop(
    api, busy_workshop, settings, tmp_path, django_capture_on_commit_callbacks
):
    from boards.exports.cache import exports_dir

    settings.EXPORTS_DIR = str(tmp_path)
    folder = exports_dir(busy_workshop.id)
    folder.mkdir(parents=True)
    (folder / "v1-reader.pdf").write_bytes(b"%PDF-1.7 cached")
    # The files go once the deletion has committed (the test's transaction never
    # commits, so its on_commit callbacks are run here).
    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete(f"/api/v1/workshops/{busy_workshop.id}/")
    assert response.status_code == 204
    assert not folder.exists()
