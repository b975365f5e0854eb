"""Notes written while the network is gone arrive once, also across a page reload.

What Playwright's `context.set_offline(True)` does to a WebSocket that is already
open (checked with Chromium 1.65): it does NOT close it; the socket stays OPEN and
silently carries nothing. It does fire the page's `offline` event, and
static/js/sync.js drops the socket on that event (a real network loss would
otherwise go unnoticed until the ping watchdog). A reload needs HTTP, so the
reload test keeps HTTP up and refuses only the WebSocket, with route_web_socket.
"""

import json
import uuid

import pytest

from tests.e2e.board_page import db_notes, screen_notes, wait_for_notes, wait_live, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.multiprocess]

WS_PATTERN = "**/ws/boards/**"


def _two_people(board_server, new_context):
    board = board_server.new_board()
    board_id = board["board_id"]
    maya_context = new_context()
    maya = maya_context.new_page()
    board_server.login(maya, board_id)
    ana = new_context().new_page()
    board_server.join(ana, board["join_code"], "Ana", board_id)
    for page in (maya, ana):
        wait_live(page)
    return board_id, maya_context, maya, ana


def _status(page):
    return page.locator("[data-connection]").text_content()


def _wait_outbox_empty(page):
    page.locator('[data-connection][data-status="live"][data-waiting="0"]').wait_for()


def _assert_screens_equal_database(board_server, board_id, *pages):
    expected = db_notes(board_server.snapshot(board_id))
    for page in pages:
        wait_for_notes(page, expected)
        assert screen_notes(page) == expected


def test_a_note_written_offline_arrives_once(board_server, new_context):
    board_id, maya_context, maya, ana = _two_people(board_server, new_context)
    maya.locator(".section--says .add-note").click()
    maya.keyboard.type("Written online")
    maya.keyboard.press("Enter")
    wait_for_notes(ana, {"says": [["Written online", "yellow"]]})

    maya_context.set_offline(True)
    wait_until(lambda: "Offline" in _status(maya), message="the offline indicator")
    maya.locator(".section--thinks .add-note").click()
    maya.keyboard.type("Written offline")
    maya.keyboard.press("Enter")

    wait_until(lambda: "1 change waiting" in _status(maya), message="1 change waiting")
    assert maya.locator(".section--thinks .note.is-pending").count() == 1
    ana.wait_for_timeout(1000)
    assert screen_notes(ana)["thinks"] == []
    assert len(board_server.snapshot(board_id)["notes"]) == 1

    maya_context.set_offline(False)
    wait_live(maya)
    expected = {"says": [["Written online", "yellow"]], "thinks": [["Written offline", "yellow"]]}
    for page in (maya, ana):
        wait_for_notes(page, expected)
    _wait_outbox_empty(maya)
    assert maya.locator(".note.is-pending").count() == 0
    _assert_screens_equal_database(board_server, board_id, maya, ana)


def test_a_note_written_offline_survives_a_reload(board_server, new_context):
    board_id, maya_context, maya, ana = _two_people(board_server, new_context)

    maya_context.set_offline(True)
    wait_until(lambda: "Offline" in _status(maya), message="the offline indicator")
    maya.locator(".section--feels .add-note").click()
    maya.keyboard.type("Kept across a reload")
    maya.keyboard.press("Enter")
    wait_until(lambda: "1 change waiting" in _status(maya), message="1 change waiting")

    # HTTP comes back for the reload, the WebSocket stays refused.
    ws_refused = {"on": True}

    def route(ws):
        if ws_refused["on"]:
            ws.close()
        else:
            ws.connect_to_server()

    maya.route_web_socket(WS_PATTERN, route)
    maya_context.set_offline(False)
    maya.reload()
    maya.locator(".section--feels .note.is-pending").wait_for()
    assert maya.locator(".section--feels .note-text").all_text_contents() == ["Kept across a reload"]
    wait_until(lambda: "1 change waiting" in _status(maya), message="1 change waiting after the reload")
    assert screen_notes(ana)["feels"] == []
    assert board_server.snapshot(board_id)["notes"] == []

    ws_refused["on"] = False
    maya.get_by_role("button", name="Retry now").click()
    wait_live(maya)
    for page in (maya, ana):
        wait_for_notes(page, {"feels": [["Kept across a reload", "yellow"]]})
    _wait_outbox_empty(maya)
    assert maya.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('resonance:outbox'))") == []
    _assert_screens_equal_database(board_server, board_id, maya, ana)


def test_an_op_resent_after_a_lost_ack_is_not_applied_twice(board_server, new_context):
    """The server applied the op but the page never heard: the page re-sends it with
    its original client_op_id after a reload, and gets the original ack (G4)."""
    board_id, maya_context, maya, ana = _two_people(board_server, new_context)
    participant_id = maya.locator("#board-app").get_attribute("data-participant-id")
    client_op_id = str(uuid.uuid4())
    data = {"section": "does", "text": "Sent once, acked never", "color": "green"}
    board_server.api(
        "POST",
        f"/api/v1/boards/{board_id}/ops/",
        {"op": "note.add", "client_op_id": client_op_id, "data": data},
    )
    outbox = {
        "entries": [
            {
                "client_op_id": client_op_id,
                "op": "note.add",
                "data": data,
                "status": "queued",
                "everSent": True,
            }
        ],
        "ids": {},
    }
    maya.evaluate(
        "([key, value]) => localStorage.setItem(key, value)",
        [f"resonance:outbox:{board_id}:{participant_id}", json.dumps(outbox)],
    )
    maya.reload()
    wait_live(maya)
    _wait_outbox_empty(maya)
    for page in (maya, ana):
        wait_for_notes(page, {"does": [["Sent once, acked never", "green"]]})
    assert len(board_server.snapshot(board_id)["notes"]) == 1
    _assert_screens_equal_database(board_server, board_id, maya, ana)
