"""In Chromium: PDF of a big workshop from the Export menu, "Preparing…", then the download arrives."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.multiprocess]


@pytest.fixture
def session_cookie(transactional_db, live_server, big_workshop, facilitator, client):
    client.force_login(facilitator)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


# The `page` comes after the fixtures that make rows: Django refuses ORM
# calls once Playwright's loop runs (tests/support/browser.py).


def test_the_pdf_is_prepared_in_the_background_then_downloaded(
    live_server, big_workshop, session_cookie, start_worker, new_context
):
    context = new_context(accept_downloads=True)
    context.add_cookies([session_cookie])
    page = context.new_page()
    scripts = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    page.goto(f"{live_server.url}/w/{big_workshop.id}/summary/")

    page.locator(".export-menu summary").click()
    page.get_by_role("link", name="PDF summary").click()

    # No worker yet: the page waits, saying so.
    page.wait_for_url(f"**/w/{big_workshop.id}/export/pdf/*/")
    state = page.locator("[data-pdf-state]")
    assert state.inner_text().startswith("Preparing…")
    assert page.locator("progress[data-pdf-progress]").is_visible()
    assert any(url.endswith("/static/js/pdf-build.js") for url in scripts)

    with page.expect_download(timeout=90_000) as download_info:
        start_worker()
    download = download_info.value

    assert download.suggested_filename.startswith("resonance-first-time-e-bike-owner-")
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert state.inner_text().startswith("Your PDF is ready")
    assert page.locator("progress[data-pdf-progress]").get_attribute("value") == "100"
