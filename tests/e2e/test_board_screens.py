"""The board page on a laptop and on a phone: nothing spills sideways, and screenshots for a human.

Screenshots go to test-results/board-screens/ (git-ignored) to be looked at.
"""

from pathlib import Path

import pytest

from tests.e2e.board_page import add_note, wait_live

pytestmark = [pytest.mark.browser, pytest.mark.multiprocess]

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "board-screens"
NOTES = [
    ("says", "I just need it to work by Monday."),
    ("says", "How much will this cost me?"),
    ("thinks", "Did I buy a lemon?"),
    ("does", "Searches forums before calling the shop."),
    ("feels", "Anxious about being without the bike for work."),
]
EXTENDED_NOTES = [
    ("goal", "Get to work on Monday without a car."),
    ("sees", "Friends riding cheap e-bikes without trouble."),
    ("hears", "“Those motors never last.”"),
    ("thinks-feels", "Worried the repair costs more than the bike."),
    ("pains", "No idea how long the shop will take."),
    ("gains", "A clear estimate and a loaner bike."),
]


def _fill(page, notes):
    for section, text in notes:
        add_note(page, section, text)
    page.locator(".note:not(.is-pending)").nth(len(notes) - 1).wait_for()


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize(
    ("template", "notes"), [("empathy-map", NOTES), ("empathy-map-extended", EXTENDED_NOTES)]
)
def test_board_fits_laptop_and_phone(board_server, new_context, template, notes):
    SHOTS.mkdir(parents=True, exist_ok=True)
    board = board_server.new_board(template=template)
    laptop = new_context(viewport={"width": 1280, "height": 800}).new_page()
    board_server.login(laptop, board["board_id"])
    wait_live(laptop)
    laptop.locator(".persona-name").fill("Sam")
    laptop.keyboard.press("Enter")
    laptop.locator("#persona-role").fill("Commutes 12 km; bought the e-bike second-hand")
    laptop.locator("#persona-age").focus()
    _fill(laptop, notes)
    laptop.screenshot(path=SHOTS / f"{template}-laptop.png", full_page=True)
    assert _no_sideways_scroll(laptop)

    phone = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    board_server.join(phone, board["join_code"], "Phone", board["board_id"])
    wait_live(phone)
    phone.locator(".note").nth(len(notes) - 1).wait_for()
    phone.screenshot(path=SHOTS / f"{template}-phone.png", full_page=True)
    assert _no_sideways_scroll(phone)
    sections = phone.locator(".board .section")
    first, second = sections.nth(0).bounding_box(), sections.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"], "sections stack on a phone"
