"""docs/workshop-scenario.md's empathy-map session in browsers: a facilitator and three guests.

Maya facilitates from a laptop; Ana, Ben and Cy join by code (Cy on a phone whose
clock is four minutes slow). Anonymous mode, silent writing, the reveal, grouping,
a hidden dot vote closed by Maya, a step back and forward, and a timer that shows
the same time everywhere. At the end every screen shows the notes its person would
get from the REST API.
"""

import re
import sqlite3

import pytest

from tests.e2e.board_page import add_note, db_notes, screen_notes, wait_for_notes, wait_live, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.multiprocess]

LAPTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
GUESTS = {"ana": "Ana Lima", "ben": "Ben Okafor", "cy": "Cy Vale"}
# Cy's phone: Date.now() four minutes behind the server's clock.
SLOW_CLOCK = """(() => {
  const real = Date.now.bind(Date);
  Date.now = () => real() - 4 * 60 * 1000;
})();"""


def phase_of(page):
    return page.locator(".fac-phase-label").text_content()


def set_phase(maya, pages, button, label):
    maya.locator(f".fac-{button}").click()
    for page in pages:
        wait_until(lambda p=page: phase_of(p) == label, message=f"phase {label}")


def rest_snapshot(board_server, page, board_id):
    """The board as this page's person gets it from the REST API, with their own token."""
    participant = int(page.locator("#board-app").get_attribute("data-participant-id"))
    database = board_server.process.env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as db:
        (token,) = db.execute("SELECT token FROM boards_participant WHERE id = ?", (participant,)).fetchone()
    return board_server.api("GET", f"/api/v1/boards/{board_id}/", token=token)


def note(page, text):
    return page.locator(".note[data-key]", has=page.locator(".note-text", has_text=text))


def seconds_left(page):
    minutes, seconds = page.locator(".fac-timer-text").text_content().split(":")
    return int(minutes) * 60 + int(seconds)


def test_a_facilitated_workshop_from_join_to_wrap_up(board_server, new_context):
    board = board_server.new_board()
    board_id = board["board_id"]
    maya = new_context(viewport=LAPTOP, base_url=board_server.url).new_page()
    board_server.login(maya, board_id)
    guests = {}
    for key, name in GUESTS.items():
        context = new_context(viewport=PHONE if key == "cy" else LAPTOP, base_url=board_server.url)
        if key == "cy":
            context.add_init_script(SLOW_CLOCK)
        guests[key] = context.new_page()
        board_server.join(guests[key], board["join_code"], name, board_id)
    ana, ben, cy = guests["ana"], guests["ben"], guests["cy"]
    everyone = [maya, ana, ben, cy]
    for page in everyone:
        wait_live(page)
    assert cy.evaluate("Date.now()") < maya.evaluate("Date.now()") - 200_000

    # Only the facilitator has the controls; the QR overlay shows the code big.
    assert ana.locator(".fac-controls").is_hidden()
    maya.get_by_role("button", name="Show QR").click()
    assert maya.locator(".fac-qr-code").text_content() == board["join_code"]
    qr = maya.locator(".fac-qr-image")
    wait_until(
        lambda: qr.evaluate("img => img.complete && img.naturalWidth > 0"), message="the QR image loaded"
    )
    maya.keyboard.press("Escape")
    assert maya.locator(".fac-qr-overlay").count() == 0

    # 10:00 anonymous mode on: presence only counts the others.
    maya.get_by_label("Anonymous").check()
    for page in everyone:
        page.locator("#board-app.is-anonymous").wait_for()
        wait_until(
            lambda p=page: p.locator("[data-presence]").get_attribute("data-count") == "4", message="4 here"
        )

    # 10:03 silent writing: notes are private; everyone sees the counts rise.
    set_phase(maya, everyone, "forward", "Silent writing")
    assert maya.locator(".section--says .add-note").is_visible()
    add_note(ana, "says", "How much will this cost?")
    add_note(ana, "does", "Searches forums before calling")
    ben.locator(".section--thinks .add-note").click()
    ben.keyboard.type("Did I buy")
    # Typing hints name nobody in anonymous mode.
    ana.locator(".section--thinks .typing", has_text="Someone is typing…").wait_for()
    ben.keyboard.type(" a lemon?")
    ben.keyboard.press("Enter")
    add_note(cy, "feels", "Anxious it won't be ready by Monday")
    for page, texts in ((ana, 2), (ben, 1), (cy, 1)):
        wait_until(
            lambda p=page, n=texts: p.locator(".note.is-private").count() == n, message="own private notes"
        )
        assert page.locator(".note-private").first.text_content() == "Only you see this"
    assert "How much will this cost?" not in ben.locator(".board").inner_text()
    assert note(cy, "Did I buy a lemon?").count() == 0
    for page in everyone:
        wait_until(
            lambda p=page: (
                p.locator(".section--says .private-count").text_content() == "1 note being written"
            ),
            message="count",
        )
        wait_until(
            lambda p=page: p.locator(".fac-private-counts").text_content() == "4 notes being written",
            message="total",
        )
    assert maya.locator(".note").count() == 0  # moderation is off: Maya sees counts, not notes

    # 10:12 reveal: every note on every screen, no longer private.
    set_phase(maya, everyone, "forward", "Reveal")
    expected = db_notes(board_server.snapshot(board_id))
    assert sum(len(n) for n in expected.values()) == 4
    for page in everyone:
        wait_for_notes(page, expected)
        assert page.locator(".note.is-private").count() == 0
        assert page.locator(".section--says .add-note").is_hidden()  # no writing during the reveal

    # 10:13 grouping: Ana drops one note onto another, Ben names the group.
    set_phase(maya, everyone, "forward", "Grouping")
    note(ana, "Did I buy a lemon?").drag_to(note(ana, "How much will this cost?"))
    for page in everyone:
        page.locator(".panel--clusters .cluster").wait_for()
    name = ben.get_by_label("Name of the group of 2 notes")
    name.fill("Doesn't trust the estimate")
    name.press("Enter")
    for page in everyone:
        wait_until(
            lambda p=page: p.locator(".note-cluster", has_text="Doesn't trust the estimate").count() == 2,
            message="named group on both notes",
        )

    # 10:25 voting: 3 dots each, results hidden until Maya closes the round.
    set_phase(maya, everyone, "forward", "Voting")
    note(ana, "How much will this cost?").locator(".vote-add").click()
    note(ben, "How much will this cost?").locator(".vote-add").click()
    note(ben, "Did I buy a lemon?").locator(".vote-add").click()
    note(cy, "Anxious it won't be ready").locator(".vote-add").click()
    # A second dot on the same note (V on the focused note) is over the per-note limit (1).
    wait_until(
        lambda: note(cy, "Anxious it won't be ready").locator(".vote-add.has-mine").count() == 1,
        message="Cy's dot",
    )
    note(cy, "Anxious it won't be ready").focus()
    cy.keyboard.press("v")
    cy.locator(".toast", has_text="at most 1 vote").wait_for()
    wait_until(
        lambda: ben.locator(".fac-votes-left").text_content() == "1 vote left", message="Ben's votes left"
    )
    wait_until(
        lambda: ana.locator(".fac-votes-left").text_content() == "2 votes left", message="Ana's votes left"
    )
    wait_until(lambda: note(ana, "How much").locator(".dots").text_content() == "●", message="Ana's dot")
    # Others' dots stay hidden: Ana sees only her own, nobody sees totals.
    assert note(ana, "Did I buy a lemon?").locator(".dots").text_content() == ""
    assert note(ana, "Did I buy a lemon?").locator(".vote-add.has-mine").count() == 0
    for page in everyone:
        assert page.locator(".vote-total").count() == 0
    maya.get_by_role("button", name="Close vote").click()
    for page in everyone:
        wait_until(
            lambda p=page: note(p, "How much").locator(".vote-total").text_content() == "2 votes",
            message="totals",
        )
        first = page.locator(".panel--results .result").first
        assert "How much will this cost?" in first.text_content()
        assert page.locator(".panel--results .result").count() == 3

    # Maya skips the discussion by mistake and steps back to it.
    set_phase(maya, everyone, "forward", "Discussion")
    set_phase(maya, everyone, "forward", "Wrap-up")
    set_phase(maya, everyone, "back", "Discussion")

    # 10:28 the timer: the same time on every screen, Cy's slow clock included.
    maya.get_by_label("Minutes").fill("20")
    maya.get_by_role("button", name="Start").click()
    for page in everyone:
        wait_until(lambda p=page: p.locator(".fac-timer-text").text_content() != "", message="timer shown")
    shown = [seconds_left(page) for page in everyone]
    assert max(shown) - min(shown) <= 1, shown
    assert 20 * 60 - 5 <= min(shown) <= 20 * 60, shown
    # Muting is per device.
    cy.locator(".fac-mute").click()
    assert cy.evaluate("localStorage.getItem('resonance.timer.muted')") == "1"
    assert ana.evaluate("localStorage.getItem('resonance.timer.muted')") is None

    # Anonymous: no guest's page names another person.
    for key, page in guests.items():
        text = page.locator("body").inner_text()
        for other, other_name in GUESTS.items():
            if other != key:
                assert other_name not in text, (key, other_name)
        assert re.search(r"\bMaya\b", text) is None
    maya_text = maya.locator("body").inner_text()
    assert not any(name in maya_text for name in GUESTS.values())

    # Every screen shows the notes its person gets from the REST API.
    for page in everyone:
        expected = db_notes(rest_snapshot(board_server, page, board_id))
        wait_for_notes(page, expected)
        assert screen_notes(page) == expected

    # Maya locks the board: the guests can no longer write, and are told why.
    assert ana.locator(".section--says .add-note").is_visible()
    maya.get_by_label("Lock board").check()
    for page in (ana, cy):
        page.locator(".fac-phase-hint", has_text="The facilitator has locked this board.").wait_for()
        assert page.locator(".section--says .add-note").is_hidden()
    assert maya.locator(".section--says .add-note").is_visible()  # facilitators still can

    # Ben is removed from the workshop: his page says so and stops offering anything.
    ben_id = int(ben.locator("#board-app").get_attribute("data-participant-id"))
    board_server.api(
        "POST", f"/api/v1/boards/{board_id}/ops/", {"op": "participant.remove", "data": {"id": ben_id}}
    )
    ben.locator(".board-banner", has_text="A facilitator removed you from this workshop").wait_for()
    assert ben.locator("[data-connection]").get_attribute("data-status") == "closed"
    assert ben.locator(".add-note:visible, .vote-add").count() == 0
