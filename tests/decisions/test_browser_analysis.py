"""In Chromium: sentiment hints on notes, suggested groups accepted (edited), dismissed or found stale,
and a prioritisation board added from an empathy map."""

import pytest

from tests.e2e.board_page import wait_live, wait_until
from tests.e2e.conftest import board_server  # noqa: F401  (the daphne of the e2e tests)

pytestmark = [pytest.mark.browser, pytest.mark.multiprocess]

NOTES = [
    "The estimate was wrong twice",
    "Wrong estimate again",
    "I never know when the bike is ready",
    "No idea when my bike is ready",
    "Waiting is awful and the staff were rude",
]


def _op(server, board_id, kind, **data):
    return server.api("POST", f"/api/v1/boards/{board_id}/ops/", {"op": kind, "data": data})


def test_hints_and_suggestions(board_server, new_context):  # noqa: F811
    server = board_server
    board = server.new_board(title="Grouping help")
    board_id = board["board_id"]
    ids = [_op(server, board_id, "note.add", section="feels", text=t)["op"]["data"]["id"] for t in NOTES]
    maya = new_context(viewport={"width": 1280, "height": 900}).new_page()
    errors = []
    maya.on("pageerror", lambda e: errors.append(str(e)))
    server.login(maya, board_id)
    wait_live(maya)

    # The most negative note gets the faint marker, and only notes that read negative do.
    marked = maya.locator(".note", has=maya.locator(".sentiment-marker"))
    wait_until(lambda: marked.count() >= 1, message="a sentiment marker")
    assert "Waiting is awful" in " ".join(marked.all_text_contents())

    # Suggested groups: accept one with an edited title, dismiss the other.
    maya.locator("[data-suggest]").click()
    cards = maya.locator(".suggestion")
    wait_until(lambda: cards.count() == 2, message="two suggested groups")
    estimate = maya.locator(".suggestion", has_text="The estimate was wrong twice")
    estimate.locator("input[name=title]").fill("Estimates")
    estimate.get_by_role("button", name="Accept").click()
    maya.locator(".suggestion").first.get_by_role("button", name="Dismiss").click()
    wait_until(
        lambda: [c["title"] for c in server.snapshot(board_id)["clusters"]] == ["Estimates"],
        message="one group",
    )
    clustered = {n["id"] for n in server.snapshot(board_id)["notes"] if n["cluster"]}
    assert clustered == set(ids[:2])

    # A suggestion that went stale is refused with a clear message, and changes nothing.
    maya.locator("[data-suggest]").click()
    wait_until(lambda: maya.locator(".suggestion").count() == 1, message="a fresh suggestion")
    _op(server, board_id, "note.update", id=ids[2], text="Nobody told me the price")
    maya.locator(".suggestion").get_by_role("button", name="Accept").click()
    wait_until(
        lambda: "ask for new suggestions" in maya.locator(".decisions-panel [role=status]").text_content(),
        message="stale",
    )
    assert len(server.snapshot(board_id)["clusters"]) == 1

    # A facilitator adds a prioritisation board to this workshop from here.
    maya.locator("[data-add-prioritisation]").click()
    maya.wait_for_url("**/b/*/")
    maya.locator(".prio-matrix svg").wait_for()
    assert maya.locator(".board-tabs a").count() == 2
    assert errors == []
