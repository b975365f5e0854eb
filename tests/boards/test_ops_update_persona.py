import pytest

from boards.errors import Invalid
from boards.models import Persona
from boards.ops import apply_op_request
from boards.state import board_snapshot
from tests.boards.replay import assert_replays


def test_it_fills_the_persona_card(board, host):
    before = board_snapshot(board.id)
    apply_op_request(board.id, host.id, "persona.update", {"name": "Sam", "details": {"age": "34"}})
    apply_op_request(board.id, host.id, "persona.update", {"details": {"quote": "I just need it to work."}})
    after = assert_replays(board.id, before)
    persona = Persona.objects.get(board=board)
    assert persona.name == "Sam"
    assert persona.details["age"] == "34"
    assert persona.details["quote"] == "I just need it to work."
    assert after["personas"][0]["name"] == "Sam"


@pytest.mark.parametrize(
    "data",
    [
        {"name": "x" * 121},
        {"details": {"age": 34}},
        {"details": "34"},
        {"details": {"": "x"}},
        {"details": {"about": "x" * 501}},
        {"details": {f"f{i}": "x" for i in range(20)}},
        {},
    ],
)
def test_it_rejects_bad_cards(board, host, data):
    with pytest.raises(Invalid):
        apply_op_request(board.id, host.id, "persona.update", data)
    assert Persona.objects.get(board=board).name == ""
