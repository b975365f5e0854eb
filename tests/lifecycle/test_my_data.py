"""A participant's own data: download it, erase it through the op door (G5 holds), never someone else's."""

import json

import pytest

from boards.models import Board, EmotionScore, Note, Op, Vote
from boards.state import board_snapshot
from tests.boards.replay import assert_replays

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(board, host, guest, second_guest, do):
    """Jo writes three notes (one in a cluster), votes twice; Ravi and Maya write too."""
    mine = [do(board, guest, "note.add", section=s, text=t).event["data"]["id"]
            for s, t in [("says", "Needs it by Monday"), ("says", "Hates waiting"), ("feels", "Anxious")]]  # fmt: skip
    other = do(board, second_guest, "note.add", section="says", text="Ravi's note").event["data"]["id"]
    do(board, host, "note.add", section="says", text="Maya's note")
    do(board, host, "cluster.create", note_ids=[mine[0], other], title="Time")
    do(board, host, "phase.set", phase="vote")
    do(board, guest, "vote.add", note_id=other)
    do(board, second_guest, "vote.add", note_id=mine[1])
    do(board, host, "phase.set", phase="discuss")
    return mine


def test_a_guest_downloads_everything_they_wrote(guest_api, workshop, guest, written):
    body = guest_api(guest).get(f"/api/v1/workshops/{workshop.id}/my-data/").json()
    assert body["participant"]["display_name"] == "Jo"
    assert [n["text"] for n in body["notes"]] == ["Needs it by Monday", "Hates waiting", "Anxious"]
    assert [v["note"] for v in body["votes"]] == [Note.objects.get(text="Ravi's note").id]
    assert body["emotion_scores"] == []


def test_erasing_deletes_their_notes_and_votes_through_ops_and_replays(
    guest_api, workshop, board, guest, written
):
    before = board_snapshot(board.id)
    response = guest_api(guest).delete(f"/api/v1/workshops/{workshop.id}/my-data/")
    assert response.status_code == 200
    assert response.json() == {"erased": {"notes": 3, "votes": 1, "emotion_scores": 0}}
    assert not Note.objects.filter(author=guest).exists()
    assert not Vote.objects.filter(participant=guest).exists()
    # Ravi's vote on Jo's note went with the note; everyone else's notes stay, in order.
    assert not Vote.objects.exists()
    assert list(Note.objects.filter(board=board, section__key="says").order_by("position").values_list(
        "text", "position")) == [("Ravi's note", 0), ("Maya's note", 1)]  # fmt: skip
    after = assert_replays(board.id, before)
    assert [n["text"] for n in after["notes"]] == ["Ravi's note", "Maya's note"]
    (erase,) = Op.objects.filter(board=board, kind="participant.erase")
    assert erase.actor_id == guest.id and sorted(erase.data["notes"]) == sorted(written)


def test_the_words_are_gone_from_the_log_too(guest_api, workshop, board, guest, host, written, do):
    # Maya fixed a typo in one of Jo's notes: that edit's words are Jo's note too.
    do(board, host, "note.update", id=written[2], text="Anxious (edited by Maya)")
    guest_api(guest).delete(f"/api/v1/workshops/{workshop.id}/my-data/")
    log = json.dumps(list(Op.objects.filter(board=board).values_list("data", flat=True)))
    for words in ("Needs it by Monday", "Hates waiting", "Anxious", "edited by Maya", '"name": "Jo"'):
        assert words not in log
    assert "Ravi's note" in log
    # The whole log still replays to the board (G5) from an empty board.
    from boards.ops import ops_after
    from boards.state import apply_op

    state = {**board_snapshot(board.id), "seq": 0, "notes": [], "votes": [], "clusters": []}
    state["facilitation"] = {**state["facilitation"], "phase": "open", "private_counts": {}}
    for event in ops_after(board.id, 0):
        state = apply_op(state, event)
    assert state["notes"] == board_snapshot(board.id)["notes"]


def test_erasing_works_on_a_closed_workshop_in_any_phase(
    api, guest_api, workshop, board, guest, written, do, host
):
    do(board, host, "phase.set", phase="vote")
    api.post(f"/api/v1/workshops/{workshop.id}/close/")
    response = guest_api(guest).delete(f"/api/v1/workshops/{workshop.id}/my-data/")
    assert response.status_code == 200
    assert not Note.objects.filter(author=guest).exists()


def test_nothing_to_erase_is_invalid_and_logs_nothing(guest_api, workshop, board, second_guest):
    seq = Board.objects.get(id=board.id).seq
    response = guest_api(second_guest).delete(f"/api/v1/workshops/{workshop.id}/my-data/")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert Board.objects.get(id=board.id).seq == seq


def test_no_one_erases_someone_else(guest_api, workshop, other_workshop, guest, written, do):
    """The endpoint only ever erases the caller's own participant; another workshop's guest gets 404."""
    from boards.workshops import join_workshop

    stranger = join_workshop(other_workshop.join_code, "Stranger")
    response = guest_api(stranger).delete(f"/api/v1/workshops/{workshop.id}/my-data/")
    assert response.status_code == 404
    assert Note.objects.filter(author=guest).count() == 3
    # The op takes no data: naming someone else is refused.
    from boards.errors import Invalid
    from boards.ops import apply_op_request

    with pytest.raises(Invalid):
        apply_op_request(workshop.boards.get().id, guest.id, "participant.erase", {"participant": 999})
    assert Note.objects.filter(author=guest).count() == 3


def test_erasing_scores_on_a_journey_map(workshop, maya, maya_team, guest_api, do):
    from boards.models import Template
    from boards.workshops import create_workshop, join_workshop

    template = Template.objects.get(team__isnull=True, slug="journey-map")
    journey = create_workshop(maya, maya_team, "Journey", template)
    board = journey.boards.get()
    ana = join_workshop(journey.join_code, "Ana")
    stage = board.stages.first()
    persona = board.personas.first()
    do(board, ana, "emotion.set", stage=stage.key, persona=persona.id, score=-2)
    before = board_snapshot(board.id)
    assert (
        guest_api(ana).delete(f"/api/v1/workshops/{journey.id}/my-data/").json()["erased"]["emotion_scores"]
        == 1
    )
    assert not EmotionScore.objects.exists()
    assert_replays(board.id, before)


@pytest.fixture
def other_workshop(maya, maya_team):
    from boards.models import Template
    from boards.workshops import create_workshop

    return create_workshop(
        maya, maya_team, "Other", Template.objects.get(team__isnull=True, slug="empathy-map")
    )
