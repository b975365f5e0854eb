"""opportunity.add / update / delete / link / unlink: the link both ways, logged on every board."""

import pytest

from boards.errors import Invalid, NotFound
from boards.models import Note
from boards.ops import apply_op_request
from boards.state import board_snapshot
from decisions.models import Opportunity, OpportunitySource
from tests.boards.replay import assert_replays

pytestmark = pytest.mark.django_db


def test_add_replays_on_the_source_board_and_the_matrix(board, matrix, host, op, pains):
    before, before_matrix = board_snapshot(board.id), board_snapshot(matrix.id)
    op(board, host, "opportunity.add", title="Text when ready", description="SMS", notes=pains[:2])
    after = assert_replays(board.id, before)
    assert_replays(matrix.id, before_matrix)
    (opportunity,) = after["opportunities"]
    assert opportunity["title"] == "Text when ready"
    assert [s["note"] for s in opportunity["sources"]] == pains[:2]
    assert {s["board"] for s in opportunity["sources"]} == {board.id}


def test_update_link_unlink_delete_replay(board, matrix, host, op, pains, opportunity):
    before, before_matrix = board_snapshot(board.id), board_snapshot(matrix.id)
    op(board, host, "opportunity.update", id=opportunity["id"], title="Text when the bike is ready")
    op(matrix, host, "opportunity.link", id=opportunity["id"], note=pains[2])
    op(board, host, "opportunity.unlink", id=opportunity["id"], note=pains[0])
    after = assert_replays(board.id, before)
    assert [s["note"] for s in after["opportunities"][0]["sources"]] == [pains[1], pains[2]]
    assert_replays(matrix.id, before_matrix)
    before = board_snapshot(board.id)
    op(board, host, "opportunity.delete", id=opportunity["id"])
    assert assert_replays(board.id, before)["opportunities"] == []


def test_a_deleted_source_note_leaves_the_other_boards_replayable(
    board, matrix, host, op, opportunity, pains
):
    before_matrix = board_snapshot(matrix.id)
    op(board, host, "note.delete", id=pains[0])
    op(matrix, host, "opportunity.update", id=opportunity["id"], description="now")
    after = assert_replays(matrix.id, before_matrix)
    # The link stays, naming a note that is gone; the summary says so.
    assert pains[0] in [s["note"] for s in after["opportunities"][0]["sources"]]


def test_it_refuses_a_note_of_another_workshop(board, host, op, other_workshop_note, opportunity):
    seq = board_snapshot(board.id)["seq"]
    with pytest.raises(Invalid, match="another workshop"):
        op(board, host, "opportunity.link", id=opportunity["id"], note=other_workshop_note.id)
    with pytest.raises(Invalid, match="another workshop"):
        op(board, host, "opportunity.add", title="x", notes=[other_workshop_note.id])
    assert board_snapshot(board.id)["seq"] == seq
    assert OpportunitySource.objects.filter(note_id=other_workshop_note.id).count() == 0


@pytest.mark.parametrize(
    "data, error",
    [
        ({"title": ""}, Invalid),
        ({"title": "x" * 201}, Invalid),
        ({"title": "ok", "notes": "1"}, Invalid),
        ({"title": "ok", "notes": [999999]}, NotFound),
        ({"title": "ok", "notes": [True]}, Invalid),
        ({"title": "ok", "description": 3}, Invalid),
    ],
)
def test_it_refuses_bad_input(board, host, data, error):
    with pytest.raises(error):
        apply_op_request(board.id, host.id, "opportunity.add", data)
    assert not Opportunity.objects.exists()


def test_it_refuses_a_private_note_and_a_double_link(board, host, op, opportunity, pains):
    private = Note.objects.get(id=pains[2])
    private.private = True
    private.save()
    with pytest.raises(Invalid, match="not revealed"):
        op(board, host, "opportunity.link", id=opportunity["id"], note=pains[2])
    with pytest.raises(Invalid, match="already"):
        op(board, host, "opportunity.link", id=opportunity["id"], note=pains[0])
    with pytest.raises(NotFound):
        op(board, host, "opportunity.unlink", id=opportunity["id"], note=pains[2])


def test_an_observer_cannot_add(board, workshop, make_user, maya_team, op):
    from boards.models import Participant

    observer = Participant.objects.create(workshop=workshop, display_name="Luis", role="observer")
    from boards.errors import Forbidden

    with pytest.raises(Forbidden):
        op(board, observer, "opportunity.add", title="x")
