"""The facilitation bar in a real Chromium, on a page of its own (no board JS needed).

The page mounts static/js/facilitation.js with a board state and records the ops
it would send; the timer is checked against a server clock four minutes ahead.
"""

import json
import time

import pytest

pytestmark = pytest.mark.browser

STATE = {
    "workshop": 1,
    "votes": [],
    "facilitation": {
        "phase": "open",
        "anonymous": False,
        "moderation": False,
        "votes_per_person": 3,
        "votes_per_note": 1,
        "votes_hidden": True,
        "votes_closed": False,
        "joining_open": True,
        "locked": False,
        "timer": {"state": "stopped", "ends_at": None, "remaining_ms": None, "duration_ms": None},
    },
}

PAGE = """<!doctype html><html><head><link rel="stylesheet" href="/static/css/facilitation.css"></head>
<body><div id="root"></div><script type="module">
import { mountFacilitation } from "/static/js/facilitation.js";
window.sent = [];
window.fac = mountFacilitation(document.getElementById("root"), {
  state: %(state)s,
  sendOp: (kind, data) => window.sent.push([kind, data]),
  participant: {id: 1, role: "%(role)s"},
  joinCode: "K7P-2QD",
  joinUrl: "http://testserver/j/K7P-2QD",
  serverNow: Date.now() + 240000,
});
window.ready = true;
</script></body></html>"""


@pytest.fixture
def page(live_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page()

        def open_bar(role="facilitator", state=STATE):
            html = PAGE % {"state": json.dumps(state), "role": role}
            page.route(
                f"{live_server.url}/harness", lambda route: route.fulfill(body=html, content_type="text/html")
            )
            page.goto(f"{live_server.url}/harness")
            page.wait_for_function("window.ready === true")
            return page

        yield open_bar
        browser.close()


def sent(page):
    return page.evaluate("window.sent")


def test_a_facilitator_steps_through_phases_and_toggles_settings(page):
    page = page()
    assert page.locator(".fac-back").is_disabled()
    page.click(".fac-forward")
    assert sent(page) == [["phase.set", {"phase": "write"}]]
    voting = json.loads(json.dumps(STATE))
    voting["facilitation"]["phase"] = "vote"
    page.evaluate("state => window.fac.update(state)", voting)
    page.click(".fac-back")
    page.click("text=Discussion")
    # The switch says that anonymity given is never taken back.
    hint = page.locator("#fac-hint-anonymous").inner_text()
    assert "stays anonymous for good" in hint
    assert (
        page.locator("label:has-text('Anonymous') input").get_attribute("aria-describedby")
        == "fac-hint-anonymous"
    )
    page.check("label:has-text('Anonymous') input")
    page.fill("label:has-text('Votes each') input", "5")
    page.click("text=Close vote")
    assert sent(page)[1:] == [
        ["phase.set", {"phase": "group"}],
        ["phase.set", {"phase": "discuss"}],
        ["workshop.settings", {"anonymous": True}],
        ["workshop.settings", {"votes_per_person": 5}],
        ["votes.close", {}],
    ]
    assert page.locator(".fac-votes-left").inner_text() == "3 votes left"


def test_the_timer_agrees_with_the_server_clock(page):
    server_now = int(time.time() * 1000) + 240_000
    state = json.loads(json.dumps(STATE))
    state["facilitation"]["timer"] = {
        "state": "running",
        "ends_at": server_now + 480_000,
        "remaining_ms": None,
        "duration_ms": 480_000,
    }
    page = page(state=state)
    page.wait_for_timeout(400)
    assert page.locator(".fac-timer-text").inner_text() in ("8:00", "7:59")
    page.click("text=+1 min")
    page.click(".fac-timer-controls >> text=Pause")
    assert sent(page) == [["timer.extend", {"seconds": 60}], ["timer.pause", {}]]


def test_the_qr_overlay_shows_the_code_and_closes_with_escape(page):
    page = page()
    page.click("text=Show QR")
    assert page.locator(".fac-qr-code").inner_text() == "K7P-2QD"
    assert page.locator(".fac-qr-image").get_attribute("src") == "/w/1/qr.svg"
    page.keyboard.press("Escape")
    assert page.locator(".fac-qr-overlay").count() == 0


def test_participants_see_the_timer_but_no_controls(page):
    page = page(role="participant")
    assert page.locator(".fac-controls").is_hidden()
    assert page.locator(".fac-phase-label").inner_text() == "Open"
    page.click(".fac-mute")
    assert page.evaluate("localStorage.getItem('resonance.timer.muted')") == "1"
