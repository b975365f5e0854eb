"""In Chromium: pains become opportunities, three browsers score them live on the matrix, the top two
become actions with owners, and the team's next workshop opens with them in review.
"""

import io
import urllib.request

import pytest
from pypdf import PdfReader

from tests.e2e.board_page import wait_live, wait_until
from tests.e2e.conftest import board_server  # noqa: F401  (the daphne of the e2e tests)

pytestmark = [pytest.mark.browser, pytest.mark.multiprocess]

LAPTOP = {"width": 1280, "height": 900}
PAINS = [
    "I never know when the bike is ready",
    "The estimate was wrong twice",
    "No loan bike while mine is in the shop",
]


def _op(server, board_id, kind, **data):
    return server.api("POST", f"/api/v1/boards/{board_id}/ops/", {"op": kind, "data": data})


def _score(page, title, impact, value):
    row = page.locator(".prio-table tbody tr", has_text=title)
    row.locator('[data-field="impact"]').select_option(str(impact))
    # The table is redrawn when the impact's ack arrives; select the value on the fresh row.
    page.locator(".prio-table tbody tr", has_text=title).locator('[data-field="value"]').select_option(
        str(value)
    )


def test_from_pains_to_actions_and_their_review(board_server, new_context):  # noqa: F811
    server = board_server
    board = server.new_board(title="Thursday: e-bike owners")
    empathy_id = board["board_id"]
    workshop_id = board["workshop"]["id"]
    for text in PAINS:
        _op(server, empathy_id, "note.add", section="feels", text=text)
    matrix_id = server.api("POST", f"/api/v1/workshops/{workshop_id}/boards/", {"kind": "prioritisation"})[
        "id"
    ]

    # Maya turns pains into opportunities from the empathy map's panel.
    maya = new_context(viewport=LAPTOP).new_page()
    errors = []
    maya.on("pageerror", lambda e: errors.append(str(e)))
    server.login(maya, empathy_id)
    wait_live(maya)
    form = maya.locator("[data-opportunity-from-notes]")
    for title, pains in (("Text when the bike is ready", PAINS[:2]), ("Loan bikes", PAINS[2:])):
        form.locator("input[name=title]").fill(title)
        form.locator("select[name=notes]").select_option(label=pains)
        form.locator("button[type=submit]").click()
    wait_until(
        lambda: maya.locator(".note .opportunity-marker").count() == 3, message="markers on linked notes"
    )
    maya.locator("[data-opportunity-from-notes] input[name=title]").fill("Cheaper parts")
    maya.locator("[data-opportunity-from-notes] button[type=submit]").click()

    # Three browsers score on the matrix board.
    maya.goto(f"{server.url}/b/{matrix_id}/")
    jo = new_context(viewport=LAPTOP).new_page()
    server.join(jo, board["join_code"], "Jo", empathy_id)
    jo.goto(f"{server.url}/b/{matrix_id}/")
    ravi = new_context(viewport=LAPTOP).new_page()
    server.join(ravi, board["join_code"], "Ravi", empathy_id)
    ravi.goto(f"{server.url}/b/{matrix_id}/")
    for page in (maya, jo, ravi):
        wait_live(page)
        wait_until(
            lambda p=page: p.locator(".prio-table tbody tr").count() == 3, message="three opportunities"
        )
    scores = {
        "Text when the bike is ready": [(5, 5), (4, 5), (5, 4)],
        "Loan bikes": [(4, 2), (5, 1), (4, 2)],
        "Cheaper parts": [(1, 2), (2, 1), (1, 1)],
    }
    for i, page in enumerate((maya, jo, ravi)):
        for title, by_person in scores.items():
            _score(page, title, *by_person[i])
    # Everyone sees the same live ranking once three have scored (the floor is 3).
    wait_until(
        lambda: len(server.snapshot(matrix_id)["prioritisation"]["scores"]) == 9, message="nine scores"
    )
    for page in (maya, jo, ravi):
        wait_until(
            lambda p=page: (
                p.locator(".prio-ranking li .rank-title").all_text_contents()
                == ["Text when the bike is ready", "Loan bikes", "Cheaper parts"]
                and p.locator(".matrix-point").count() == 3
            ),
            message="the ranking on every screen",
        )
    assert "Do first" in maya.locator(".prio-table tbody tr", has_text="Text when the bike").text_content()
    # Each person sees their own ring, and only their own.
    for page in (maya, jo, ravi):
        assert page.locator(".matrix-mine").count() == 3

    # The top two become actions with owners; one owner is Jo, one is Maya (a team member).
    form = maya.locator("[data-new-action]")
    wait_until(lambda: form.locator("select[name=owner] option").count() >= 3, message="owners listed")
    form.locator("select[name=opportunity]").select_option(label="1. Text when the bike is ready")
    form.locator("select[name=owner]").select_option(label="Jo")
    form.locator("input[name=due]").fill("2020-03-01")
    form.locator("button[type=submit]").click()
    wait_until(lambda: maya.locator(".prio-action").count() == 1, message="the first action")
    form = maya.locator("[data-new-action]")
    form.locator("select[name=opportunity]").select_option(label="2. Loan bikes")
    form.locator("select[name=owner]").select_option(label="Maya (team)")
    form.locator("button[type=submit]").click()
    for page in (maya, jo):
        wait_until(lambda p=page: p.locator(".prio-action").count() == 2, message="two actions everywhere")
    assert (
        maya.locator(".prio-action", has_text="Text when the bike is ready").locator(".overdue").count() == 1
    )

    # The manager's PDF shows the chain from note to action.
    request = urllib.request.Request(
        f"{server.url}/api/v1/workshops/{workshop_id}/export/?format=pdf",
        headers={"Authorization": f"Token {server.token}"},
    )
    pdf = PdfReader(io.BytesIO(urllib.request.urlopen(request, timeout=60).read()))
    text = " ".join(p.extract_text() for p in pdf.pages)
    for expected in (PAINS[0], "Text when the bike is ready", "Do first", "Jo", "2020-03-01"):
        assert expected in text, expected

    # A week later: the team's next workshop opens with those actions in review.
    later = server.api("POST", "/api/v1/workshops/", {"title": "A week later", "template": "prioritisation"})
    later_board = later["boards"][0]["id"]
    maya.goto(f"{server.url}/b/{later_board}/")
    wait_live(maya)
    review = maya.locator(".decisions-review")
    review.wait_for()
    assert review.locator("li").all_text_contents()[0].startswith("Text when the bike is ready")
    assert review.locator("li").count() == 2
    review.locator("li", has_text="Text when the bike is ready").get_by_role("button", name="Done").click()
    review.locator("li", has_text="Loan bikes").get_by_role("button", name="Carry on").click()
    wait_until(
        lambda: [r["outcome"] for r in server.snapshot(later_board)["action_review"]] == ["done", "carried"],
        message="the review's outcomes stored",
    )
    team_actions = server.api("GET", f"/api/v1/teams/{later['team']}/actions/")
    assert {a["title"]: a["status"] for a in team_actions["actions"]} == {
        "Text when the bike is ready": "done",
        "Loan bikes": "carried",
    }
    assert errors == []
