"""What a board page shows, read the same way the database is read, for comparing them."""

import time

SCREEN_NOTES_JS = """() => Object.fromEntries([...document.querySelectorAll('.board .section')].map(
  (s) => [s.dataset.section, [...s.querySelectorAll('.note[data-key]')].map(
    (n) => [n.querySelector('.note-text')?.textContent ?? '', n.dataset.color])]))"""


def screen_notes(page) -> dict[str, list[list[str]]]:
    """{section: [[text, color], ...]} in the order the page shows them."""
    return page.evaluate(SCREEN_NOTES_JS)


def db_notes(snapshot) -> dict[str, list[list[str]]]:
    notes = {section["key"]: [] for section in snapshot["sections"]}
    for note in snapshot["notes"]:
        notes[note["section"]].append([note["text"], note["color"]])
    return notes


def wait_until(check, timeout=10.0, message="condition"):
    """Polls `check()` until it returns a truthy value; fails with the last value seen."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}; last value: {value!r}")
        time.sleep(0.1)


def wait_for_notes(page, expected, timeout=10.0):
    """Waits until the page shows exactly `expected` ({section: [[text, color], ...]}, other sections empty)."""

    def matches():
        shown = screen_notes(page)
        return all(shown.get(key, []) == expected.get(key, []) for key in set(shown) | set(expected))

    try:
        wait_until(matches, timeout, "the notes")
    except AssertionError:
        raise AssertionError(f"page shows {screen_notes(page)!r}, expected {expected!r}") from None


def add_note(page, section, text):
    page.locator(f".section--{section} .add-note").click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def wait_live(page):
    page.locator('[data-connection][data-status="live"]').wait_for()
