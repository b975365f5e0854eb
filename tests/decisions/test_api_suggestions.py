"""REST: sentiment hints and suggested clusters the facilitator accepts, edits or finds stale."""

import pytest
from rest_framework.test import APIClient

from boards.models import Cluster, Note
from decisions.models import SuggestedCluster

pytestmark = pytest.mark.django_db

TEXTS = [
    "The estimate was wrong twice",
    "Wrong estimate again",
    "I never know when the bike is ready",
    "No idea when my bike is ready",
    "Staff were friendly",
]


def as_participant(participant):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {participant.token}")
    return client


@pytest.fixture
def notes(board, host, op):
    return [op(board, host, "note.add", section="feels", text=t)["id"] for t in TEXTS]


def _suggest(board, host):
    response = as_participant(host).post(f"/api/v1/boards/{board.id}/suggestions/clusters/")
    assert response.status_code == 200, response.json()
    return response.json()


def _accept(board, host, suggestion, groups):
    return as_participant(host).post(
        f"/api/v1/boards/{board.id}/suggestions/clusters/accept/",
        {"suggestion": suggestion, "groups": groups},
        format="json",
    )


def test_sentiment_hints_for_what_the_caller_sees(board, guest, notes):
    body = as_participant(guest).get(f"/api/v1/boards/{board.id}/sentiment/").json()
    assert body["language"] == "en"
    assert {h["id"] for h in body["notes"]} == set(notes)


def test_a_facilitator_accepts_edited_suggestions(board, host, notes):
    body = _suggest(board, host)
    assert len(body["groups"]) == 2 and Cluster.objects.count() == 0  # nothing applied yet
    first, second = body["groups"]
    response = _accept(
        board,
        host,
        body["suggestion"],
        [
            {"title": "Estimates", "note_ids": first["note_ids"]},
            {"title": second["title"], "note_ids": second["note_ids"][:1]},
        ],
    )
    assert response.status_code == 200, response.json()
    assert Cluster.objects.count() == 2
    assert set(Cluster.objects.values_list("title", flat=True)) == {"Estimates", second["title"]}
    assert SuggestedCluster.objects.count() == 2


def test_a_stale_suggestion_is_refused_and_changes_nothing(board, host, op, notes):
    body = _suggest(board, host)
    group = body["groups"][0]
    op(board, host, "note.update", id=group["note_ids"][0], text="Something else entirely")
    response = _accept(board, host, body["suggestion"], [{"title": "x", "note_ids": group["note_ids"]}])
    assert (response.status_code, response.json()["code"]) == (409, "stale")
    assert Cluster.objects.count() == 0


def test_a_note_grouped_meanwhile_makes_it_stale(board, host, op, notes):
    body = _suggest(board, host)
    group = body["groups"][0]
    op(board, host, "cluster.create", note_ids=group["note_ids"][:1], title="by hand")
    response = _accept(board, host, body["suggestion"], [{"title": "x", "note_ids": group["note_ids"]}])
    assert response.status_code == 409
    assert Note.objects.filter(cluster__title="x").count() == 0


@pytest.mark.parametrize(
    "tamper",
    [
        lambda s, g: (s + "x", [g]),
        lambda s, g: (s, [{"title": "x", "note_ids": [999999]}]),
        lambda s, g: (s, [g, g]),
        lambda s, g: (s, []),
    ],
)
def test_bad_acceptances_are_refused(board, host, notes, tamper):
    body = _suggest(board, host)
    group = {"title": "x", "note_ids": body["groups"][0]["note_ids"]}
    suggestion, groups = tamper(body["suggestion"], group)
    response = _accept(board, host, suggestion, groups)
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert Cluster.objects.count() == 0


def test_participants_cannot_ask_or_accept(board, guest, notes):
    response = as_participant(guest).post(f"/api/v1/boards/{board.id}/suggestions/clusters/")
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
