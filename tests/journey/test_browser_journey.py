"""Two participants and a facilitator on a journey map in real Chromium, against a real daphne.

Both participants score stages and see the same curve; the facilitator adds a
stage live and both see it appear.
"""

import json
import os
import urllib.request

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.multiprocess]

SCREENSHOTS = os.environ.get("JOURNEY_SCREENSHOTS")  # a folder: save screenshots there


def api(base, path, body=None, token=None):
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Token {token}"} if token else {}),
        },
        method="POST" if body is not None else "GET",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        raw = response.read()
        return json.loads(raw) if response.headers.get_content_type() == "application/json" else raw.decode()


@pytest.fixture
def journey(live_server_url):
    token = api(live_server_url, "/api/v1/auth/token/", {"username": "maya", "password": "resonance-demo"})[
        "token"
    ]
    workshop = api(
        live_server_url,
        "/api/v1/workshops/",
        {"title": "Bike repair journey", "template": "journey-map"},
        token,
    )
    board = workshop["boards"][0]
    return {"token": token, "workshop": workshop, "board": board, "url": live_server_url}


def open_as_guest(browser, journey, name):
    page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{journey['url']}/j/{journey['workshop']['join_code']}")
    page.fill("input[name=display_name]", name)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-connection][data-status=live]")
    return page


def open_as_facilitator(browser, journey):
    page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{journey['url']}/accounts/login/?next=/b/{journey['board']['id']}/")
    page.fill("input[name=username]", "maya")
    page.fill("input[name=password]", "resonance-demo")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-connection][data-status=live]")
    return page


def slider(page, stage):
    return page.locator(f'.curve-column[data-stage="{stage}"] .score-slider').first


def click_score(page, stage, score):
    """Clicks a score on a stage's slider (the scale runs +3 at the top to −3 at the bottom)."""
    from playwright.sync_api import expect

    # The slider is as tall as the curve (220 px) with 14 px of padding, like the SVG.
    slider(page, stage).click(position={"x": 12, "y": 14 + (3 - score) / 6 * (220 - 28)})
    expect(slider(page, stage)).to_have_attribute("aria-valuenow", str(score))
    # Settled: the server's op has come back and the own dot is no longer provisional.
    page.wait_for_function(
        "([stage, score]) => !document.querySelector(`.curve-column[data-stage='${stage}'] .score-slider.unscored`)",
        arg=[stage, score],
    )


def curve_means(page):
    """The means the page's curve table shows (what a screen reader reads), after the curve loaded."""
    page.locator(".curve-table summary").click()
    return page.locator(".curve-numbers tbody tr").evaluate_all(
        "rows => rows.map(r => [r.cells[0].textContent, r.cells[1].textContent, r.cells[5].textContent])"
    )


def shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def set_floor(journey, floor):
    api(
        journey["url"],
        f"/api/v1/boards/{journey['board']['id']}/ops/",
        {"op": "journey.settings", "data": {"respondent_floor": floor}},
        journey["token"],
    )


def test_two_participants_score_and_see_the_same_curve_and_a_live_stage(browser, journey):
    set_floor(journey, 1)  # two raters: with the default floor of 3 nobody but Maya would see them
    jo = open_as_guest(browser, journey, "Jo")
    ravi = open_as_guest(browser, journey, "Ravi")
    maya = open_as_facilitator(browser, journey)

    # Jo scores with the keyboard: focus the "buy" slider, arrow down twice from 0.
    slider(jo, "buy").focus()
    jo.keyboard.press("ArrowDown")  # unscored -> 0
    jo.keyboard.press("ArrowDown")  # -1
    jo.keyboard.press("ArrowDown")  # -2
    # Ravi clicks a value: the lowest tick of "buy" (−3), then +2 at "use".
    click_score(ravi, "buy", -3)
    click_score(ravi, "use", 2)

    expected_svg = None
    for page in (jo, ravi, maya):
        page.wait_for_function(
            "() => document.querySelector('.curve-holder svg')?.textContent.includes('Moment of truth')"
        )
        page.wait_for_function(
            """() => {
                const desc = document.querySelector('.curve-holder desc')?.textContent || '';
                return desc.includes('Buy \u22122.5') && desc.includes('Use +2.0');
            }"""
        )
        desc = page.locator(".curve-holder desc").text_content()
        expected_svg = expected_svg or desc
        assert desc == expected_svg  # everyone sees the same curve
        assert "Use +2.0 (1 score" in desc
    assert slider(jo, "buy").get_attribute("aria-valuenow") == "-2"
    assert slider(ravi, "buy").get_attribute("aria-valuenow") == "-3"

    rows = curve_means(jo)
    assert ["Buy", "\u22122.5", "2"] in rows and ["Use", "+2.0", "1"] in rows

    # The REST numbers agree with the page.
    numbers = api(journey["url"], f"/api/v1/boards/{journey['board']['id']}/curve/", token=journey["token"])
    buy = next(p for p in numbers["curves"][0]["stages"] if p["stage"] == "buy")
    assert (buy["mean"], buy["count"], numbers["curves"][0]["moments_of_truth"]) == (-2.5, 2, ["buy"])

    # Notes: Jo adds one in a cell and types; Ravi sees it.
    jo.locator('.cell[data-stage="buy"][data-lane="pain-points"] .add-note').click()
    jo.wait_for_selector('.cell[data-stage="buy"][data-lane="pain-points"] .note-text:focus')
    jo.keyboard.type("Price is a mystery")
    jo.keyboard.press("Enter")
    ravi.wait_for_selector(
        '.cell[data-stage="buy"][data-lane="pain-points"] .note:has-text("Price is a mystery")'
    )

    # The facilitator adds a stage live; both participants see it.
    maya.get_by_role("button", name="Add a stage").click()
    maya.get_by_role("textbox", name="New stage").fill("Ride again")
    maya.get_by_role("textbox", name="New stage").press("Enter")
    for page in (jo, ravi):
        page.wait_for_selector('.stage-header[data-stage="ride-again"]')
        page.wait_for_selector('.curve-column[data-stage="ride-again"] .score-slider')
        # The curve follows: the new stage is on it (with no scores yet).
        page.wait_for_function(
            "() => document.querySelector('.curve-holder desc')?.textContent.includes('Ride again no scores')"
        )
    maya.wait_for_function(
        "() => document.querySelector('.curve-holder desc')?.textContent.includes('Ride again no scores')"
    )
    shot(jo, "participant")
    shot(maya, "facilitator")


def test_a_deleted_stage_parks_its_notes_for_everyone(browser, journey):
    jo = open_as_guest(browser, journey, "Jo")
    maya = open_as_facilitator(browser, journey)
    jo.locator('.cell[data-stage="consider"][data-lane="thoughts"] .add-note').click()
    jo.wait_for_selector(".note-text:focus")
    jo.keyboard.type("Is it worth fixing?")
    jo.keyboard.press("Enter")
    maya.wait_for_selector('.note:has-text("Is it worth fixing?")')
    maya.locator('.stage-header[data-stage="consider"]').hover()
    maya.get_by_role("button", name="Delete Consider").click()
    jo.wait_for_selector('.parking-lot .note:has-text("Is it worth fixing?")')
    assert jo.locator('.stage-header[data-stage="consider"]').count() == 0

    # Jo drags it back into a cell; the facilitator sees it there.
    jo.locator('.parking-lot .note:has-text("Is it worth fixing?")').drag_to(
        jo.locator('.cell[data-stage="buy"][data-lane="thoughts"]')
    )
    maya.wait_for_selector(
        '.cell[data-stage="buy"][data-lane="thoughts"] .note:has-text("Is it worth fixing?")'
    )
    assert maya.locator(".parking-lot .note").count() == 0


def test_a_score_can_be_dragged(browser, journey):
    from playwright.sync_api import expect

    jo = open_as_guest(browser, journey, "Jo")
    target = slider(jo, "use")
    box = target.bounding_box()
    x = box["x"] + box["width"] / 2
    y_of = lambda score: box["y"] + 14 + (3 - score) / 6 * (box["height"] - 28)  # noqa: E731
    jo.mouse.move(x, y_of(3))
    jo.mouse.down()
    for score in (2, 1, 0, -1):
        jo.mouse.move(x, y_of(score), steps=3)
    jo.mouse.up()
    expect(slider(jo, "use")).to_have_attribute("aria-valuenow", "-1")
    # The server took it; one score is under the respondent floor (3): the curve shows no number.
    jo.wait_for_function(
        "() => document.querySelector('.curve-holder desc')?.textContent.includes('Use too few scores to show')"
    )
    jo.wait_for_function("() => !document.querySelector('.score-slider.pending, .note.pending')")


def test_two_personas_each_with_a_curve_that_a_viewer_can_hide(browser, journey):
    base, board_id = journey["url"], journey["board"]["id"]

    def do(token, kind, **data):
        return api(base, f"/api/v1/boards/{board_id}/ops/", {"op": kind, "data": data}, token)["op"]["data"]

    maya = journey["token"]
    sam_id = api(base, f"/api/v1/boards/{board_id}/", token=maya)["personas"][0]["id"]
    do(maya, "persona.update", id=sam_id, name="Sam")
    ana_id = do(maya, "persona.add", name="Ana")["id"]
    people = [
        api(base, "/api/v1/join/", {"code": journey["workshop"]["join_code"], "display_name": name})["token"]
        for name in ("Lee", "Kim", "Noor")
    ]
    sam = {
        "discover": [1, 2, 1],
        "consider": [0, 1, -1],
        "buy": [-1, -2, -1],
        "use": [-3, -2, -2],
        "get-help": [2, 1, 2],
    }
    ana = {
        "discover": [1, 0, 2],
        "consider": [-2, -3, -3],
        "buy": [-1, 0, -1],
        "use": [1, 2, 1],
        "get-help": [0, 1, 1],
    }
    for persona, scores in ((sam_id, sam), (ana_id, ana)):
        for stage, values in scores.items():
            for token, value in zip(people, values, strict=True):
                do(token, "emotion.set", stage=stage, persona=persona, score=value)
    for stage, lane, text in [
        ("discover", "actions", "Notices a squeak"),
        ("discover", "touchpoints", "Forum thread"),
        ("consider", "thoughts", "Is it worth fixing?"),
        ("buy", "pain-points", "No price up front"),
        ("use", "pain-points", "Waits 5 days"),
        ("use", "opportunities", "Loan bike while waiting"),
        ("get-help", "actions", "Calls the shop"),
    ]:
        do(people[0], "note.add", stage=stage, lane=lane, text=text)
    do(maya, "note.add", stage=None, lane=None, text="Ask the franchise owners")

    page = open_as_guest(browser, journey, "Jo")
    page.wait_for_function("() => document.querySelectorAll('.curve-holder g.persona').length === 2")
    desc = page.locator(".curve-holder desc").text_content()
    assert "Moment of truth: Use (\u22122.3)" in desc and "Moment of truth: Consider (\u22122.7)" in desc
    slider(page, "use").focus()
    page.keyboard.press("ArrowDown")
    shot(page, "two-personas")
    page.get_by_role("button", name="Ana").click()
    page.wait_for_function("() => document.querySelectorAll('.curve-holder g.persona').length === 1")
    assert page.get_by_role("button", name="Ana").get_attribute("aria-pressed") == "false"
    page.locator(".curve-table summary").click()
    shot(page, "one-persona-table")

    facilitator = open_as_facilitator(browser, journey)
    facilitator.wait_for_function("() => document.querySelectorAll('.curve-holder g.persona').length === 2")
    facilitator.locator('.stage-header[data-stage="use"]').hover()
    shot(facilitator, "facilitator-two-personas")
    phone = page.context.new_page()  # Jo's session, and Jo's choice of hidden personas
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(page.url)
    phone.wait_for_function("() => document.querySelectorAll('.curve-holder g.persona').length === 1")
    shot(phone, "phone")


def test_silent_writing_and_reveal_reach_the_journey_page(browser, journey):
    """Phases are changed elsewhere (another board, or the API): the journey page keeps up."""
    jo = open_as_guest(browser, journey, "Jo")
    ravi = open_as_guest(browser, journey, "Ravi")
    board_id, token = journey["board"]["id"], journey["token"]

    def phase(name):
        api(
            journey["url"],
            f"/api/v1/boards/{board_id}/ops/",
            {"op": "phase.set", "data": {"phase": name}},
            token,
        )

    phase("write")
    jo.locator('.cell[data-stage="buy"][data-lane="pain-points"] .add-note').click()
    jo.wait_for_selector(".note-text:focus")
    jo.keyboard.type("Nobody tells me the price")
    jo.keyboard.press("Enter")
    written = '.cell[data-stage="buy"][data-lane="pain-points"] .note:has-text("Nobody tells me the price")'
    jo.wait_for_selector(written)
    ravi.wait_for_timeout(500)
    assert ravi.locator(written).count() == 0  # private while writing
    phase("reveal")
    ravi.wait_for_selector(written)
    assert ravi.locator("[data-connection][data-status=live]").count() == 1
