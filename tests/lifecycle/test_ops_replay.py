"""Replay (G5) of the lifecycle's ops on every board of a workshop: snapshot before + ops == snapshot after."""

import pytest

from boards.errors import Closed, Forbidden
from boards.models import Template
from boards.state import board_snapshot
from boards.workshops import create_workshop, join_workshop
from tests.boards.replay import assert_replays

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_boards(maya, maya_team, workshop):
    """A workshop with an empathy map and a journey map (the built-in templates are loaded by `workshop`)."""
    template = Template.objects.create(
        team=maya_team,
        name="Both",
        structure={
            "boards": [
                Template.objects.get(team__isnull=True, slug="empathy-map").structure["boards"][0],
                Template.objects.get(team__isnull=True, slug="journey-map").structure["boards"][0],
            ]
        },
    )
    both = create_workshop(maya, maya_team, "Both boards", template)
    return both, list(both.boards.order_by("position"))


def test_close_and_reopen_replay_on_every_board(two_boards, maya, do):
    workshop, boards = two_boards
    host = workshop.participants.get(user=maya)
    before = [board_snapshot(b.id) for b in boards]
    do(boards[1], host, "workshop.close")
    closed = [assert_replays(b.id, s) for b, s in zip(boards, before, strict=True)]
    assert all(s["closed_at"] for s in closed)
    do(boards[0], host, "workshop.reopen")
    reopened = [assert_replays(b.id, s) for b, s in zip(boards, closed, strict=True)]
    assert all(s["closed_at"] is None for s in reopened)


def test_erase_replays_on_every_board(two_boards, do):
    workshop, (empathy, journey) = two_boards
    ana = join_workshop(workshop.join_code, "Ana")
    do(empathy, ana, "note.add", section="says", text="on the empathy map")
    stage, lane = journey.stages.first(), journey.lanes.filter(kind="notes").first()
    do(journey, ana, "note.add", stage=stage.key, lane=lane.key, text="in a cell")
    do(journey, ana, "emotion.set", stage=stage.key, persona=journey.personas.first().id, score=2)
    before = [board_snapshot(b.id) for b in (empathy, journey)]
    do(empathy, ana, "participant.erase")
    after = [assert_replays(b.id, s) for b, s in zip((empathy, journey), before, strict=True)]
    assert after[0]["notes"] == [] and after[1]["notes"] == [] and after[1]["emotion_scores"] == []


def test_guests_cannot_close_and_a_closed_workshop_refuses_ops_but_reopen(two_boards, maya, do):
    workshop, boards = two_boards
    host = workshop.participants.get(user=maya)
    ana = join_workshop(workshop.join_code, "Ana")
    with pytest.raises(Forbidden):
        do(boards[0], ana, "workshop.close")
    do(boards[0], host, "workshop.close")
    for kind, data in [("note.add", {"section": "says"}), ("phase.set", {"phase": "vote"}), ("nonsense", {})]:
        with pytest.raises(Closed):
            do(boards[0], host, kind, **data)
    do(boards[0], host, "workshop.reopen")
    do(boards[0], ana, "note.add", section="says")


def test_a_resent_op_from_before_the_close_still_gets_its_ack(board, host, guest, do):
    first = do(board, guest, "note.add", client_op_id="c-1", section="says")
    do(board, host, "workshop.close")
    again = do(board, guest, "note.add", client_op_id="c-1", section="says")
    assert again.duplicate and again.seq == first.seq
