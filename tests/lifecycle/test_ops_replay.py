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


@pytest.mark.parametrize("anonymous_now", [True, False])
def test_an_erasure_of_dots_and_scores_given_under_anonymity_replays_for_everyone(
    two_boards, maya, do, anonymous_now
):
    """Dots and scores given under anonymity show nobody to the others (for good); their erasure still replays.

    The raw log, and the log as another guest's connection receives it, whether
    anonymous mode is still on (the erase op names nobody) or was turned off
    since (the op names the person, but the dots and score are still blank).
    """
    from boards.ops import ops_after
    from boards.state import apply_op
    from boards.visibility import op_for, snapshot_for, viewer_of

    workshop, (empathy, journey) = two_boards
    host = workshop.participants.get(user=maya)
    ana, ravi = join_workshop(workshop.join_code, "Ana"), join_workshop(workshop.join_code, "Ravi")
    do(empathy, host, "workshop.settings", anonymous=True, votes_per_person=5, votes_per_note=2)
    ravis = do(empathy, ravi, "note.add", section="says", text="Ravi's").event["data"]["id"]
    anas = do(empathy, ana, "note.add", section="feels", text="Ana's").event["data"]["id"]
    stage, persona = journey.stages.first(), journey.personas.first()
    do(journey, ana, "emotion.set", stage=stage.key, persona=persona.id, score=-2)
    do(journey, ravi, "emotion.set", stage=stage.key, persona=persona.id, score=1)
    do(empathy, host, "phase.set", phase="vote")
    do(empathy, ana, "vote.add", note_id=ravis)
    do(empathy, ana, "vote.add", note_id=ravis)
    do(empathy, ravi, "vote.add", note_id=ravis)
    do(empathy, ana, "vote.add", note_id=anas)  # goes with Ana's note
    do(empathy, host, "votes.close")
    if not anonymous_now:
        do(empathy, host, "workshop.settings", anonymous=False)
    before = [board_snapshot(b.id) for b in (empathy, journey)]
    assert [v.get("anonymous") for v in before[0]["votes"]] == [True] * 4
    do(empathy, ana, "participant.erase")

    after = [assert_replays(b.id, s) for b, s in zip((empathy, journey), before, strict=True)]
    assert after[0]["votes"] == [{"note": ravis, "voter": ravi.id, "anonymous": True}]
    assert [s["participant"] for s in after[1]["emotion_scores"]] == [ravi.id]

    workshop.refresh_from_db()
    viewer = viewer_of(ravi, workshop)
    assert viewer.anonymous == anonymous_now
    for board, snapshot, now in zip((empathy, journey), before, after, strict=True):
        state = snapshot_for(viewer, snapshot)
        if board == empathy:
            # Ravi saw Ana's two dots on his note, by nobody.
            assert state["votes"].count({"note": ravis, "voter": None, "anonymous": True}) == 2
        for event in ops_after(board.id, snapshot["seq"]):
            state = apply_op(state, op_for(viewer, event))
        assert state == snapshot_for(viewer, now)


def test_an_observer_erases_what_they_wrote_before(two_boards, maya, do):
    """Made observer after writing: what they wrote is still theirs to take back (issue 16)."""
    from lifecycle.services import erase

    workshop, (empathy, journey) = two_boards
    host = workshop.participants.get(user=maya)
    ana = join_workshop(workshop.join_code, "Ana")
    do(empathy, ana, "note.add", section="says", text="mine")
    do(empathy, host, "participant.role", id=ana.id, role="observer")
    with pytest.raises(Forbidden):
        do(empathy, ana, "note.add", section="says", text="not any more")
    before = [board_snapshot(b.id) for b in (empathy, journey)]
    assert erase(workshop.participants.get(id=ana.id)) == {"notes": 1, "votes": 0, "emotion_scores": 0}
    after = [assert_replays(b.id, s) for b, s in zip((empathy, journey), before, strict=True)]
    assert after[0]["notes"] == []
