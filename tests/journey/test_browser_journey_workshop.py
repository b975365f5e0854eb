"""Issue #14's "done when", in Chromium against a real daphne: a facilitator runs a
journey-map workshop through every phase with three guests (private writing, reveal,
grouping, voting, the timer) from the facilitation bar; guests score as-is and to-be
for two personas; a reload while offline loses nothing; the curves match on every
screen and in every export; stages under the respondent floor show no scores.
"""

import csv
import io
import re
import urllib.request

import pytest

from tests.journey.test_browser_journey import api, journey, open_as_facilitator, open_as_guest  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.multiprocess]
WS_PATTERN = re.compile(r".*/ws/boards/.*")


def phase_of(page):
    return page.locator(".fac-phase-label").text_content()


def forward(maya, pages, label):
    maya.locator(".fac-forward").click()
    for page in pages:
        page.wait_for_function(
            "(label) => document.querySelector('.fac-phase-label')?.textContent === label", arg=label
        )


def add_note(page, stage, lane, text):
    page.locator(f'.cell[data-stage="{stage}"][data-lane="{lane}"] .add-note').click()
    page.wait_for_selector(".note-text:focus")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def note(page, text):
    return page.locator(".note[data-key]", has=page.locator(".note-text", has_text=text))


def score(page, stage, persona_index, value, curve="as-is"):
    """Sets this person's score with the keyboard (unscored -> 0 on the first key)."""
    page.locator(f'input[name="scoring"][value="{curve}"]').check()
    slider = page.locator(f'.curve-column[data-stage="{stage}"] .score-slider').nth(persona_index)
    slider.focus()
    page.keyboard.press("ArrowUp" if value >= 0 else "ArrowDown")  # now 0
    for _ in range(abs(value)):
        page.keyboard.press("ArrowUp" if value > 0 else "ArrowDown")
    page.wait_for_function(
        "([stage, i, v]) => document.querySelectorAll(`.curve-column[data-stage='${stage}'] .score-slider`)[i]"
        "?.getAttribute('aria-valuenow') === String(v)",
        arg=[stage, persona_index, value],
    )


def desc(page):
    return page.locator(".curve-holder desc").text_content()


def settled(page):
    page.wait_for_function("() => window.__resonance.sync.waiting === 0")


def test_a_journey_workshop_through_every_phase(browser, journey):  # noqa: F811
    base, board_id, token = journey["url"], journey["board"]["id"], journey["token"]

    def do(kind, **data):
        return api(base, f"/api/v1/boards/{board_id}/ops/", {"op": kind, "data": data}, token)["op"]["data"]

    sam = api(base, f"/api/v1/boards/{board_id}/", token=token)["personas"][0]["id"]
    do("persona.update", id=sam, name="Sam")
    do("persona.add", name="Ana")
    maya = open_as_facilitator(browser, journey)
    jo, ravi, kim = (open_as_guest(browser, journey, name) for name in ("Jo", "Ravi", "Kim"))
    guests = [jo, ravi, kim]
    everyone = [maya, *guests]
    for page in guests:
        assert page.locator(".fac-controls").is_hidden()

    # The timer, started from the bar, runs on every screen.
    maya.get_by_role("button", name="Start").click()
    for page in everyone:
        page.wait_for_function(
            "() => /\\d+:\\d\\d/.test(document.querySelector('.fac-timer-text')?.textContent)"
        )

    # Silent writing: notes in cells are private until the reveal.
    forward(maya, everyone, "Silent writing")
    add_note(jo, "buy", "pain-points", "No price up front")
    add_note(ravi, "use", "actions", "Waits five days")
    note(jo, "No price up front").wait_for()
    ravi.wait_for_timeout(300)
    assert note(ravi, "No price up front").count() == 0 and note(kim, "Waits five days").count() == 0

    # Kim writes with the network gone, reloads with it still gone: nothing is lost.
    kim_context = kim.context
    refused = {"on": True}
    kim.route_web_socket(WS_PATTERN, lambda ws: ws.close() if refused["on"] else ws.connect_to_server())
    kim_context.set_offline(True)
    kim.wait_for_function("() => document.querySelector('[data-connection]').dataset.status !== 'live'")
    add_note(kim, "buy", "thoughts", "Is it worth fixing?")
    kim.wait_for_function("() => window.__resonance.sync.waiting === 1")
    kim_context.set_offline(False)
    kim.reload()
    note(kim, "Is it worth fixing?").wait_for()
    assert kim.evaluate("() => window.__resonance.sync.waiting") == 1
    refused["on"] = False
    kim.get_by_role("button", name="Retry now").click()
    kim.locator('[data-connection][data-status="live"]').wait_for()
    settled(kim)

    # The reveal: every note on every screen.
    forward(maya, everyone, "Reveal")
    for page in everyone:
        for text in ("No price up front", "Waits five days", "Is it worth fixing?"):
            note(page, text).wait_for()

    # Grouping: Jo drops Ravi's note onto hers; everyone sees the group.
    forward(maya, everyone, "Grouping")
    note(jo, "Waits five days").drag_to(note(jo, "No price up front"))
    for page in everyone:
        page.locator(".note-group").first.wait_for()
        assert page.locator(".note-group").count() == 2

    # Voting: each guest gives a dot to the price note.
    forward(maya, everyone, "Voting")
    for page in guests:
        note(page, "No price up front").get_by_role("button", name=re.compile("Vote for this note")).click()
        settled(page)

    # Scores, as-is and to-be, for both personas. "Use" gets two as-is scores for
    # Sam: under the floor of 3, so nobody but Maya sees them.
    plan = {
        jo: [
            ("buy", 0, -2, "as-is"),
            ("buy", 1, -1, "as-is"),
            ("buy", 0, 2, "to-be"),
            ("use", 0, 1, "as-is"),
        ],
        ravi: [
            ("buy", 0, -3, "as-is"),
            ("buy", 1, 0, "as-is"),
            ("buy", 0, 3, "to-be"),
            ("use", 0, 2, "as-is"),
        ],
        kim: [("buy", 0, -1, "as-is"), ("buy", 1, -2, "as-is"), ("buy", 0, 1, "to-be")],
    }
    for page, steps in plan.items():
        for stage, persona, value, curve in steps:
            score(page, stage, persona, value, curve)
        settled(page)

    forward(maya, everyone, "Discussion")
    for page in everyone:
        page.wait_for_function(
            "() => document.querySelector('.curve-holder desc')?.textContent.includes('to-be +2.0')"
        )
    shown = [desc(page) for page in guests]
    # Jo and Ravi scored "Use" (their own score is theirs to see, so they learn it is
    # under the floor); Kim did not and sees an empty stage: the same numbers everywhere.
    assert shown[0] == shown[1], "every guest's screen shows the same curves"
    assert shown[2] == shown[0].replace("Use too few scores to show", "Use no scores")
    assert "Sam: Discover no scores; Consider no scores; Buy \u22122.0 (3 scores" in shown[0]
    assert "Use too few scores to show" in shown[0] and "Use +1.5" not in shown[0]
    assert (
        "to-be +2.0" in shown[0] and "Ana: Discover no scores; Consider no scores; Buy \u22121.0" in shown[0]
    )
    assert "Use +1.5 (2 scores" in desc(maya)  # the facilitator sees everything
    assert "n=2*" in maya.locator(".curve-holder svg").inner_html()

    # Every export shows the same curves: the SVG and summary (as a reader), and the CSV.
    def get(path):
        request = urllib.request.Request(base + path, headers={"Authorization": f"Token {token}"})
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.read().decode("utf-8-sig")

    # The download is made for its caller (boards.exports.export_reader): Maya's file, like every
    # file, holds no score of a point under the floor, and says it is too few, as a guest's page does.
    exported = maya.request.get(f"{base}/b/{board_id}/curve.svg").text()
    assert re.search(r"<desc[^>]*>(.*?)</desc>", exported, re.S).group(1).replace("&amp;", "&") == shown[0]
    summary = get(f"/api/v1/workshops/{journey['workshop']['id']}/export/?format=md")
    assert "Buy \u22122.0" in summary and "## Persona: Sam" in summary and "## Persona: Ana" in summary
    rows = list(
        csv.DictReader(
            io.StringIO(
                get(f"/api/v1/workshops/{journey['workshop']['id']}/export/?format=csv").split("\r\n\r\n")[1]
            )
        )
    )
    buy = next(r for r in rows if r["stage"] == "Buy" and r["persona"] == "Sam" and r["curve"] == "as-is")
    assert (buy["mean"], buy["n"], sorted(buy["scores"].split())) == ("-2.00", "3", ["-1", "-2", "-3"])
    use = next(r for r in rows if r["stage"] == "Use" and r["persona"] == "Sam" and r["curve"] == "as-is")
    assert (use["mean"], use["n"], use["scores"]) == ("", "0", "")
    gap = next(r for r in rows if r["stage"] == "Buy" and r["persona"] == "Sam" and r["curve"] == "as-is")[
        "gap_to_be"
    ]
    assert gap == "4.00"

    forward(maya, everyone, "Wrap-up")
    for page in guests:
        assert page.locator(".add-note").count() == 0
