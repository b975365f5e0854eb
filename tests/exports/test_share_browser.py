"""A manager opens a share link in a real browser and cannot change anything."""

import pytest

from boards.models import ShareLink

pytestmark = pytest.mark.browser


@pytest.fixture
def live_link(transactional_db, live_server, workshop, facilitator):
    return ShareLink.objects.create(workshop=workshop, created_by=facilitator)


@pytest.fixture
def revoked_link(live_link):
    live_link.revoke()
    return live_link


# The `page` fixture (tests/support/browser.py) comes after the fixtures
# that make rows: Django refuses ORM calls once Playwright's loop runs.


def test_a_share_link_is_read_only_in_the_browser(live_server, live_link, page):
    link = live_link
    sockets, scripts = [], []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)

    response = page.goto(f"{live_server.url}/s/{link.token}/")
    page.wait_for_load_state("networkidle")

    assert response.status == 200
    assert page.get_by_role("heading", name="First-time e-bike owner").is_visible()
    note = page.locator(".summary .note", has_text="I just need it to work by Monday.").first
    assert note.is_visible()
    # Nothing to edit with: no editable elements, no form fields, no buttons.
    assert page.locator("[contenteditable]").count() == 0
    assert page.locator("input, textarea, select, button, form").count() == 0
    note.click()
    page.keyboard.type("changed by the reader")
    assert "changed by the reader" not in page.content()
    # And no way to write back: no scripts, no WebSocket.
    assert page.evaluate("document.scripts.length") == 0
    assert scripts == [] and sockets == []
    # The exports are there, as plain links.
    page.locator(".export-menu summary").click()
    assert (
        page.get_by_role("link", name="PDF summary").get_attribute("href")
        == f"/s/{link.token}/export/?format=pdf"
    )


def test_a_revoked_share_link_shows_a_friendly_page(live_server, revoked_link, page):
    response = page.goto(f"{live_server.url}/s/{revoked_link.token}/")
    assert response.status == 404
    assert page.get_by_role("heading", name="This link does not open anything").is_visible()
