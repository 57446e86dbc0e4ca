"""End-to-end harness: Playwright drives Debian's headless Chromium against a live server.

Journeys are marked ``e2e``; ``page`` is a fresh browser page and ``live_url`` the server's
address. Playwright's sync API runs an event loop in the test thread, so Django's async-safety
guard is lifted for these tests only (the test's own database calls stay synchronous).
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it.")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_url(live_server):
    return live_server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
