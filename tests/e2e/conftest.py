"""End-to-end harness: Playwright drives Debian's headless Chromium against a live server.

Journeys are marked ``e2e``; ``page`` is a fresh browser page and ``live_url`` the server's
address. Playwright's sync API runs an event loop in the test thread, so Django's async-safety
guard is lifted for these tests only (the test's own database calls stay synchronous).
"""

import os
import re
import shutil
import time

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


_last_counter = {}


def pass_two_factor(page, email):
    """The sign-in's second step for an account with an authenticator app (staff, operators,
    reviewers): the app's current code, computed with allauth's TOTP helpers from the key the
    factories or the demo gave it. A second sign-in of one account within 30 seconds takes the
    next code (the portal accepts it; the current one is spent). No app: nothing to do."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt
    from playwright.sync_api import expect

    authenticator = Authenticator.objects.filter(user__email=email,
                                                 type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    counter = max(int(time.time()) // 30, _last_counter.get(email, -1) + 1)
    while counter > int(time.time()) // 30 + 1:
        time.sleep(1)
    _last_counter[email] = counter
    page.fill("#id_code", format_hotp_value(hotp_value(decrypt(authenticator.data["secret"]),
                                                       counter)))
    page.click("#mfa-button")


def sign_in(browser, live_url, email):
    """A new Korean browser context signed in as ``email`` (with its TOTP code when it has an
    authenticator), on its dashboard."""
    from playwright.sync_api import expect

    from tests.factories.portal import PASSWORD

    context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_url}/accounts/login/")
    form = page.locator("form:has(input[name=login])")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").first.click()
    pass_two_factor(page, email)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    return page
