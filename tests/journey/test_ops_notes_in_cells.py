"""The core note ops on a journey map's cells and parking lot."""

from boards.state import board_snapshot
from tests.boards.replay import assert_replays
from tests.journey.helpers import op, refused


def test_add_update_move_delete_replay(board, facilitator, guest):
    before = board_snapshot(board.id)
    a = op(board, guest, "note.add", stage="buy", lane="pain-points", text="Price unclear").event["data"]
    b = op(board, guest, "note.add", stage="buy", lane="pain-points", text="No slot till Friday").event[
        "data"
    ]
    c = op(board, facilitator, "note.add", stage="discover", lane="actions", color="blue").event["data"]
    op(board, guest, "note.update", id=a["id"], text="Price is a mystery")
    op(board, facilitator, "note.move", id=b["id"], stage="buy", lane="pain-points", index=0)
    op(board, facilitator, "note.move", id=c["id"], stage="use", lane="opportunities", index=9)
    op(board, facilitator, "note.move", id=a["id"], stage=None, lane=None, index=0)
    op(board, facilitator, "note.move", id=a["id"], stage="get-help", lane="thoughts", index=0)
    op(board, guest, "note.delete", id=b["id"])
    after = assert_replays(board.id, before)
    assert [(n["stage"], n["lane"], n["text"]) for n in after["notes"]] == [
        ("use", "opportunities", ""),
        ("get-help", "thoughts", "Price is a mystery"),
    ]


def test_add_carries_the_cell(board, guest):
    data = op(board, guest, "note.add", stage="buy", lane="actions", text="Pays").event["data"]
    assert (data["section"], data["stage"], data["lane"], data["text"]) == (None, "buy", "actions", "Pays")


def test_move_carries_the_cell_and_final_index(board, guest):
    note = op(board, guest, "note.add", stage="buy", lane="actions").event["data"]
    data = op(board, guest, "note.move", id=note["id"], stage="use", lane="actions", index=5).event["data"]
    assert data == {"id": note["id"], "section": None, "stage": "use", "lane": "actions", "index": 0}


def test_bad_cells(board, guest):
    assert refused(board, guest, "note.add", stage="nope", lane="actions").code == "not_found"
    assert refused(board, guest, "note.add", stage="buy", lane="nope").code == "not_found"
    assert refused(board, guest, "note.add", stage="buy", lane=None).code == "invalid"
    assert refused(board, guest, "note.add", stage="buy").code == "invalid"
    assert refused(board, guest, "note.add", section="says").code == "invalid"
    note = op(board, guest, "note.add", stage="buy", lane="actions").event["data"]
    assert (
        refused(board, guest, "note.move", id=note["id"], stage="buy", lane="actions", index=0).code
        == "invalid"
    )


def test_the_empathy_map_contract_is_unchanged(empathy_board, maya):
    facilitator = empathy_board.workshop.participants.get(user=maya)
    before = board_snapshot(empathy_board.id)
    note = op(empathy_board, facilitator, "note.add", section="says", text="Hi").event["data"]
    assert set(note) == {
        "id",
        "section",
        "text",
        "color",
        "author",
        "created_at",
        "private",
        "hidden",
        "cluster",
    }
    moved = op(empathy_board, facilitator, "note.move", id=note["id"], section="feels", index=0).event["data"]
    assert moved == {"id": note["id"], "section": "feels", "index": 0}
    assert refused(empathy_board, facilitator, "note.add", stage="buy", lane="actions").code == "invalid"
    after = assert_replays(empathy_board.id, before)
    assert "stage" not in after["notes"][0]
