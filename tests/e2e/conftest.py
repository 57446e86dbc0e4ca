"""End-to-end harness: Playwright drives Debian's headless Chromium against a live server.

Journeys are marked ``e2e``; ``page`` is a fresh browser page and ``live_url`` the server's
address. Playwright's sync API runs an event loop in the test thread, so Django's async-safety
guard is lifted for these tests only (the test's own database calls stay synchronous).

**Accessibility.** Every page a journey opens is checked with axe-core (``tests/e2e/vendor/
axe.min.js``, the npm package ``axe-core`` vendored for the tests: ``scripts/vendor_axe.sh``
fetches it again): every browser context a test makes (``browser.new_context``/``new_page``,
``page``, ``sign_in``) injects axe and runs it once each document has loaded, and the test fails
on any serious or critical violation, or any of ``AXE_ALSO_FAILING``. A document left before
its check finished is opened again at the end of the test in the same context and checked then.
"""

import json
import os
import re
import shutil
import time
from pathlib import Path

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


AXE_SOURCE = Path(__file__).with_name("vendor") / "axe.min.js"
AXE_FAILING_IMPACTS = {"serious", "critical"}
# Rules of lesser impact the portal keeps at zero too (issue 11).
AXE_ALSO_FAILING = {"heading-order", "empty-table-header"}
# In the top document only, once it has loaded (styles applied, for colour contrast): the
# document is announced when it starts, and its violations reported when axe has finished.
AXE_RUNNER = """
(() => {
  if (window.top !== window || !/^https?:$/.test(location.protocol)) return;
  const url = location.href;
  window.__axeStarted(url);
  const run = () => {
    window.__axeDone = axe.run(document, {resultTypes: ["violations"]}).then((results) => {
      const found = results.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary),
      }));
      return window.__axeReport(url, found);
    });
  };
  if (document.readyState === "complete") run(); else window.addEventListener("load", run);
})();
"""


def failing(violations):
    return [v for v in violations
            if v["impact"] in AXE_FAILING_IMPACTS or v["id"] in AXE_ALSO_FAILING]


class AxeAudit:
    """The documents a test's browser contexts opened and what axe found on each."""

    def __init__(self):
        self.started = {}  # url -> context, in order of opening
        self.checked = {}  # url -> failing violations
        self.contexts = []

    def attach(self, context):
        context.expose_binding("__axeStarted", lambda source, url: self._started(source, url))
        context.expose_binding("__axeReport",
                               lambda source, url, found: self._report(url, found))
        context.add_init_script(script=AXE_SOURCE.read_text() + AXE_RUNNER)
        self.contexts.append(context)
        return context

    def _started(self, source, url):
        self.started.setdefault(url, source["context"])

    def _report(self, url, found):
        self.checked[url] = failing(found)

    def finish(self):
        """Wait for the checks still running, then check again the documents left too early."""
        for context in self.contexts:
            for page in self._pages(context):
                try:
                    page.evaluate("() => window.__axeDone")
                except Exception:  # noqa: BLE001 - a page closing or navigating: checked below
                    pass
        for url, context in list(self.started.items()):
            if url in self.checked:
                continue
            alive = context in self.contexts and self._is_open(context)
            page = context.new_page() if alive else self.attach(
                context.browser.new_context(locale="ko-KR")).new_page()
            page.goto(url)
            page.wait_for_function("() => window.__axeDone !== undefined")
            page.evaluate("() => window.__axeDone")
            page.close()
        return {url: found for url, found in self.checked.items() if found}

    @staticmethod
    def _pages(context):
        try:
            return list(context.pages)
        except Exception:  # noqa: BLE001
            return []

    @staticmethod
    def _is_open(context):
        try:
            context.pages  # noqa: B018
            context.cookies()
            return True
        except Exception:  # noqa: BLE001
            return False


class AuditedBrowser:
    """The session's browser as a test sees it: every context it makes is checked by axe."""

    def __init__(self, browser, audit):
        self._browser = browser
        self._audit = audit

    def new_context(self, **kwargs):
        return self._audit.attach(self._browser.new_context(**kwargs))

    def new_page(self, **kwargs):
        return self.new_context(**kwargs).new_page()

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def chromium():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it.")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser(chromium, request):
    """The browser, with every page checked by axe-core; the test fails at its end on any
    serious or critical violation (see the module's docstring)."""
    audit = AxeAudit()
    yield AuditedBrowser(chromium, audit)
    # A journey that failed is the failure to read: its pages are not checked as well.
    found = {} if getattr(request.node, "rep_call_failed", True) else audit.finish()
    for context in audit.contexts:
        try:
            context.close()
        except Exception:  # noqa: BLE001 - closed by the test already
            pass
    assert found == {}, "axe-core: serious or critical violations\n" + json.dumps(
        found, indent=1, ensure_ascii=False)
    assert getattr(request.node, "rep_call_failed", True) or audit.checked, (
        "axe-core checked no page")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call_failed = report.failed
    return report


@pytest.fixture
def live_url(live_server):
    return live_server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page  # closed with the test's other contexts, once axe has checked them (browser)


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
