"""Two people on one board in two browsers: each sees what the other does, and both match the database."""

import pytest

from tests.e2e.board_page import add_note, db_notes, screen_notes, wait_for_notes, wait_live, wait_until
from tests.e2e.conftest import VIEWER

pytestmark = [pytest.mark.browser, pytest.mark.multiprocess]

LAPTOP = {"width": 1280, "height": 800}


def test_changes_in_one_browser_reach_the_other(board_server, new_context):
    board = board_server.new_board()
    board_id = board["board_id"]
    maya = new_context(viewport=LAPTOP).new_page()
    board_server.login(maya, board_id)
    ana = new_context(viewport=LAPTOP).new_page()
    board_server.join(ana, board["join_code"], "Ana", board_id)
    for page in (maya, ana):
        wait_live(page)

    # Who is here: both see both.
    for page in (maya, ana):
        wait_until(lambda p=page: p.locator("[data-presence] .avatar").count() == 2, message="two avatars")
    # Only the facilitator sees the join code.
    assert maya.locator(".share .join-code").text_content() == board["join_code"]
    assert ana.locator(".share").count() == 0

    # Add, by button and by keyboard (focus a section, press N).
    add_note(maya, "says", "I just need it to work by Monday.")
    ana.locator(".section--does").focus()
    ana.keyboard.press("n")
    ana.keyboard.type("Searches forums before calling the shop.")
    ana.keyboard.press("Enter")
    expected = {
        "says": [["I just need it to work by Monday.", "yellow"]],
        "does": [["Searches forums before calling the shop.", "yellow"]],
    }
    for page in (maya, ana):
        wait_for_notes(page, expected)

    # Typing hints: Maya sees where Ana is writing; Esc throws the draft away.
    ana.locator(".section--thinks").dblclick(position={"x": 200, "y": 200})
    ana.keyboard.type("Did I buy")
    maya.get_by_text("Ana is typing…").wait_for()
    assert maya.locator(".section--thinks .typing").text_content() == "Ana is typing…"
    ana.keyboard.press("Escape")
    assert ana.locator(".section--thinks .note").count() == 0

    # Text stays text: markup typed into a note is shown, never run.
    add_note(ana, "feels", '<img src=x onerror="window.__pwned=1"><b>bold</b>')
    expected["feels"] = [['<img src=x onerror="window.__pwned=1"><b>bold</b>', "yellow"]]
    for page in (maya, ana):
        wait_for_notes(page, expected)
        assert page.locator(".note-text img, .note-text b").count() == 0
        assert page.evaluate("window.__pwned") is None

    # Edit in place (Ana edits Maya's note); Escape cancels, Enter saves.
    note = ana.locator(".section--says .note").first
    note.locator(".note-text").click()
    ana.keyboard.press("Control+A")
    ana.keyboard.type("discarded")
    ana.keyboard.press("Escape")
    assert note.locator(".note-text").text_content() == "I just need it to work by Monday."
    note.locator(".note-text").click()
    ana.keyboard.press("Control+A")
    ana.keyboard.type("How much will this cost me?")
    ana.keyboard.press("Enter")
    expected["says"] = [["How much will this cost me?", "yellow"]]
    for page in (maya, ana):
        wait_for_notes(page, expected)

    # Colour.
    maya_note = maya.locator(".section--says .note").first
    maya_note.hover()
    maya_note.locator(".note-color").click()
    maya.locator(".palette .swatch--blue").click()
    expected["says"] = [["How much will this cost me?", "blue"]]
    for page in (maya, ana):
        wait_for_notes(page, expected)

    # Drag to another quadrant, dropped before the note already there.
    ana.locator(".section--says .note").first.drag_to(
        ana.locator(".section--feels .note").first, target_position={"x": 8, "y": 30}
    )
    expected["says"] = []
    expected["feels"] = [["How much will this cost me?", "blue"], *expected["feels"]]
    for page in (maya, ana):
        wait_for_notes(page, expected)

    # Move by keyboard: Alt+ArrowDown one place later in its section.
    maya.locator(".section--feels .note").first.focus()
    maya.keyboard.press("Alt+ArrowDown")
    expected["feels"] = [expected["feels"][1], expected["feels"][0]]
    for page in (maya, ana):
        wait_for_notes(page, expected)

    # Delete with the keyboard, then undo: back with its text, colour, section and place.
    deleted_snapshot = board_server.snapshot(board_id)
    maya.locator(".section--feels .note").first.focus()
    maya.keyboard.press("Delete")
    for page in (maya, ana):
        wait_for_notes(page, {**expected, "feels": [expected["feels"][1]]})
    maya.get_by_role("button", name="Undo").click()
    for page in (maya, ana):
        wait_for_notes(page, expected)

    # Persona card.
    maya.locator(".persona-name").fill("Sam")
    maya.keyboard.press("Enter")
    maya.locator("#persona-age").fill("34")
    maya.keyboard.press("Enter")
    wait_until(lambda: ana.locator(".persona-name").input_value() == "Sam", message="persona name")
    wait_until(lambda: ana.locator("#persona-age").input_value() == "34", message="persona age")

    # Every screen equals the database.
    snapshot = board_server.snapshot(board_id)
    assert db_notes(snapshot) == {**{s["key"]: [] for s in snapshot["sections"]}, **expected}
    for page in (maya, ana):
        assert screen_notes(page) == db_notes(snapshot)
    assert snapshot["personas"][0]["name"] == "Sam"
    assert snapshot["personas"][0]["details"]["age"] == "34"
    assert len(snapshot["notes"]) == len(deleted_snapshot["notes"])


def test_an_observer_sees_changes_but_cannot_make_them(board_server, new_context):
    board = board_server.new_board()
    board_id = board["board_id"]
    maya = new_context(viewport=LAPTOP).new_page()
    board_server.login(maya, board_id)
    luis = new_context(viewport=LAPTOP).new_page()
    board_server.login(luis, board_id, account=VIEWER)
    for page in (maya, luis):
        wait_live(page)

    add_note(maya, "feels", "Anxious about being without the bike")
    wait_for_notes(luis, {"feels": [["Anxious about being without the bike", "yellow"]]})

    assert luis.locator(".add-note").count() == 0
    assert luis.locator(".note-actions").count() == 0
    assert luis.locator(".note").first.get_attribute("draggable") is None
    assert luis.locator(".persona-name").get_attribute("readonly") is not None
    luis.locator(".note-text").first.click()
    luis.locator(".section--says").dblclick()
    luis.locator(".section--says").focus()
    luis.keyboard.press("n")
    assert luis.locator("textarea.note-editor").count() == 0
    assert luis.locator(".share").count() == 0


def test_an_edit_in_progress_survives_others_moving_and_deleting_notes(board_server, new_context):
    board = board_server.new_board()
    board_id = board["board_id"]
    maya = new_context(viewport=LAPTOP).new_page()
    board_server.login(maya, board_id)
    ana = new_context(viewport=LAPTOP).new_page()
    board_server.join(ana, board["join_code"], "Ana", board_id)
    for page in (maya, ana):
        wait_live(page)
    for text in ("first", "second", "third"):
        add_note(maya, "says", text)
    for page in (maya, ana):
        wait_for_notes(page, {"says": [["first", "yellow"], ["second", "yellow"], ["third", "yellow"]]})

    maya.locator(".section--says .note").nth(1).locator(".note-text").click()
    maya.keyboard.press("End")
    maya.keyboard.type(" (being edited")
    # Meanwhile Ana moves the first note to the end, then deletes it.
    # Each step waits for the page to show the last one: a keypress on a
    # note that is still moving would pick whichever note is there now.
    first = ana.locator(".section--says .note[data-key]", has_text="first")
    first.focus()
    ana.keyboard.press("Alt+ArrowDown")
    wait_for_notes(ana, {"says": [["second", "yellow"], ["first", "yellow"], ["third", "yellow"]]})
    first.focus()
    ana.keyboard.press("Alt+ArrowDown")
    wait_for_notes(ana, {"says": [["second", "yellow"], ["third", "yellow"], ["first", "yellow"]]})
    ana.locator(".section--says .note").nth(2).focus()
    ana.keyboard.press("Delete")
    wait_until(
        lambda: maya.locator(".section--says .note[data-key]").count() == 2,
        message="the delete on Maya's screen",
    )

    assert maya.evaluate("document.activeElement.classList.contains('note-editor')")
    maya.keyboard.type(")")
    maya.keyboard.press("Enter")
    expected = {"says": [["second (being edited)", "yellow"], ["third", "yellow"]]}
    for page in (maya, ana):
        wait_for_notes(page, expected)
    assert db_notes(board_server.snapshot(board_id))["says"] == expected["says"]
