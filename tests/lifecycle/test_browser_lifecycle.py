"""In Chromium: a guest erases their notes and the facilitator's screen drops them at once;
the facilitator closes the workshop and the guest's page shows it closed, live; a manager exports it."""

import urllib.error
import urllib.request

import pytest

from tests.e2e.board_page import add_note, wait_for_notes, wait_live, wait_until
from tests.e2e.conftest import board_server  # noqa: F401  (the session's daphne, shared with tests/e2e)

pytestmark = [pytest.mark.browser, pytest.mark.multiprocess]

LAPTOP = {"width": 1280, "height": 800}


def test_erase_and_close_reach_every_screen_live(board_server, new_context):  # noqa: F811
    board = board_server.new_board(title="Lifecycle in the browser")
    board_id, workshop_id = board["board_id"], board["workshop"]["id"]
    maya = new_context(viewport=LAPTOP).new_page()
    board_server.login(maya, board_id)
    ana_context = new_context(viewport=LAPTOP)
    ana = ana_context.new_page()
    board_server.join(ana, board["join_code"], "Ana", board_id)
    for page in (maya, ana):
        wait_live(page)

    add_note(ana, "says", "Ana says this")
    add_note(ana, "feels", "Ana feels that")
    add_note(maya, "thinks", "Maya thinks")
    everything = {
        "says": [["Ana says this", "yellow"]],
        "feels": [["Ana feels that", "yellow"]],
        "thinks": [["Maya thinks", "yellow"]],
    }
    for page in (maya, ana):
        wait_for_notes(page, everything)

    # Ana erases what she wrote from the workshop's status page, in another tab.
    ana_status = ana_context.new_page()
    ana_status.goto(f"{board_server.url}/w/{workshop_id}/lifecycle/")
    ana_status.on("dialog", lambda dialog: dialog.accept())
    ana_status.locator("[data-erase-mine]").click()
    ana_status.get_by_text("Erased 2 notes").wait_for()
    only_maya = {"thinks": [["Maya thinks", "yellow"]]}
    for page in (maya, ana):
        wait_for_notes(page, only_maya)
    assert [n["text"] for n in board_server.snapshot(board_id)["notes"]] == ["Maya thinks"]

    # Maya closes the workshop; Ana's board says so without a reload.
    assert ana.locator("[data-closed-banner]").is_hidden()
    maya_status = maya.context.new_page()
    maya_status.goto(f"{board_server.url}/w/{workshop_id}/lifecycle/")
    maya_status.locator("[data-close-workshop]").click()
    maya_status.get_by_text("The workshop is closed.").wait_for()
    ana.locator("[data-closed-banner]").wait_for(state="visible")
    assert "This workshop is closed" in ana.locator("[data-closed-banner]").text_content()
    wait_until(
        lambda: "is-closed" in (ana.locator("#board-app").get_attribute("class") or ""), message="closed"
    )

    # A manager exports it: the file says closed, and since when.
    request = urllib.request.Request(
        f"{board_server.url}/api/v1/workshops/{workshop_id}/export/?format=md",
        headers={"Authorization": f"Token {board_server.token}"},
    )
    markdown = urllib.request.urlopen(request, timeout=10).read().decode()
    assert "**Status:** closed since" in markdown
    assert "Ana says this" not in markdown


def test_a_journey_map_shows_it_closed_and_open_again_live(board_server, new_context):  # noqa: F811
    board = board_server.new_board(template="journey-map", title="Journey closing")
    board_id, workshop_id = board["board_id"], board["workshop"]["id"]
    ana = new_context(viewport=LAPTOP).new_page()
    board_server.join(ana, board["join_code"], "Ana", board_id)
    ana.locator(".journey").wait_for()
    banner = ana.locator("[data-closed-banner]")
    assert banner.is_hidden()
    board_server.api("POST", f"/api/v1/workshops/{workshop_id}/close/")
    banner.wait_for(state="visible")
    board_server.api("POST", f"/api/v1/workshops/{workshop_id}/reopen/")
    banner.wait_for(state="hidden")


PURGE_30_DAYS_LATER = """
from datetime import timedelta
from django.core.management import call_command
from django.utils import timezone
from lifecycle import clock
later = timezone.now() + timedelta(days={days})
clock.now = lambda: later
call_command("purge_workshops")
"""


def test_the_owner_sets_30_days_and_the_job_deletes_it_a_month_later(board_server, new_context):  # noqa: F811
    from tests.support.servers import run_manage

    board = board_server.new_board(title="Retention in the browser")
    board_id, workshop_id, team_id = board["board_id"], board["workshop"]["id"], board["workshop"]["team"]
    maya = new_context(viewport=LAPTOP).new_page()
    board_server.login(maya, board_id)
    maya.goto(f"{board_server.url}/teams/{team_id}/audit/")
    maya.fill("input[name=days]", "30")
    maya.get_by_role("button", name="Save").click()
    maya.get_by_text("The team's retention is saved.").wait_for()
    maya.goto(f"{board_server.url}/w/{workshop_id}/lifecycle/")
    assert "Will be deleted 30 days after it closes." in maya.locator("[data-delete-at]").text_content()
    maya.locator("[data-close-workshop]").click()
    maya.get_by_text("The workshop is closed.").wait_for()
    assert "Will be deleted on" in maya.locator("[data-delete-at]").text_content()

    db_url = board_server.process.env["DATABASE_URL"]
    early = run_manage(db_url, "shell", "--no-imports", "-c", PURGE_30_DAYS_LATER.format(days=29))
    assert "0 workshop(s) deleted." in early.stdout
    assert board_server.api("GET", f"/api/v1/workshops/{workshop_id}/")["id"] == workshop_id
    due = run_manage(db_url, "shell", "--no-imports", "-c", PURGE_30_DAYS_LATER.format(days=31))
    assert f"deleted: workshop {workshop_id} “Retention in the browser”" in due.stdout
    with pytest.raises(urllib.error.HTTPError) as gone:
        board_server.api("GET", f"/api/v1/workshops/{workshop_id}/")
    assert gone.value.code == 404
    maya.goto(f"{board_server.url}/teams/{team_id}/audit/")
    assert "retention: 30 days after closing" in maya.locator("table").text_content()
