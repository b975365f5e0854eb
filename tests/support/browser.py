"""Playwright fixtures for every browser test: Debian's Chromium, fresh contexts and pages.

Registered for the whole suite in tests/conftest.py. Debian's Chromium at
/usr/bin/chromium is used (no Playwright browser download). Without it the
tests skip with a reason, except when CI is set: there a missing browser is a
failure, so a broken CI image cannot pass silently.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _require_chromium():
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def browser():
    """A Chromium for one test; open one context per simulated person with `new_context`.

    Function-scoped on purpose: while the sync API is started, an asyncio loop
    counts as running in this thread, which would break every pytest-asyncio
    test that ran after it in the same session. A launch costs well under a second.
    """
    _require_chromium()
    from playwright.sync_api import sync_playwright

    # For the same reason Django would refuse ORM calls from the test body
    # ("async context"); that code is plain synchronous code, so the refusal
    # is a false alarm here, and the variable is restored afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_context(browser):
    """Factory for isolated browser contexts (one per simulated person); all closed afterwards.

    Keyword arguments go to `browser.new_context`, e.g. `base_url=live_server.url`
    or `viewport={"width": 390, "height": 844}`.
    """
    contexts = []

    def make(**kwargs):
        context = browser.new_context(**kwargs)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A page in a fresh context of its own."""
    return new_context().new_page()
