"""The Content-Security-Policy in a real Chromium: the pages work under it, and it is enforced."""

import pytest

from tests.e2e.board_page import add_note, wait_for_notes, wait_live

pytestmark = pytest.mark.browser


def watch(page) -> list[str]:
    """Collects CSP violations and script errors the page reports."""
    problems = []
    page.on(
        "console",
        lambda m: (
            problems.append(m.text) if m.type == "error" or "Content Security Policy" in m.text else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


@pytest.mark.parametrize("template", ["empathy-map", "journey-map"])
def test_a_board_page_runs_with_no_csp_violation(board_server, page, template):
    board = board_server.new_board(template=template)
    problems = watch(page)
    board_server.login(page, board["board_id"])
    # Every kind runs in the board shell (board-shell.js): the same connection status.
    wait_live(page)
    if template == "empathy-map":
        add_note(page, "says", "Needs it by Monday")
        wait_for_notes(page, {"says": [["Needs it by Monday", "yellow"]]})
    else:
        # The grid and the Feelings lane drawn (sizes and colours set through the CSSOM); a note added.
        page.locator(".curve-holder svg").first.wait_for()
        page.locator('.cell[data-stage="buy"][data-lane="pain-points"] .add-note').click()
        page.keyboard.type("Needs it by Monday")
        page.locator(".journey").click(position={"x": 5, "y": 5})
        page.wait_for_function(
            "() => [...document.querySelectorAll('.note-text')].some(n => (n.value || n.textContent)"
            " .includes('Needs it by Monday'))"
        )
    header = page.evaluate("async () => (await fetch(location.href)).headers.get('content-security-policy')")
    assert "script-src 'self'" in header and "unsafe-inline" not in header
    assert problems == [], "\n".join(problems)
    # Enforced, not only sent: an injected inline script and inline handler do not run.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
        " document.head.append(s); const b = document.createElement('button');"
        " b.setAttribute('onclick', 'window.__ran = 2'); document.body.append(b); b.click(); }"
    )
    assert page.evaluate("() => window.__ran") is None
    assert len(problems) == 2 and all("Content Security Policy" in p for p in problems), problems


def test_the_summary_page_and_the_api_docs_run_with_no_csp_violation(board_server, page):
    board = board_server.new_board()
    workshop_id = board["workshop"]["id"]
    problems = watch(page)
    board_server.login(page, board["board_id"])
    page.goto(f"{board_server.url}/w/{workshop_id}/summary/")
    page.locator("[data-print]").wait_for()
    page.goto(f"{board_server.url}/api/v1/docs/")
    # Redoc draws the schema from our own copy of its script (no CDN): the title appears.
    page.get_by_text("Resonance API").first.wait_for(timeout=20_000)
    # Redoc's "API docs by Redocly" badge points at the vendor's CDN: the policy
    # refusing it is the point (nothing is fetched from another host).
    problems = [p for p in problems if "https://cdn.redoc.ly/" not in p]
    assert problems == [], "\n".join(problems)
