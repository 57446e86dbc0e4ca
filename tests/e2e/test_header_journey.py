"""The header in both languages at 1280 px: every item on one line and inside the window
(English labels such as "Supplier pool" and "Sign out" used to wrap), for staff, who see the
most items."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories.portal import UserFactory


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@mss.test", is_staff=True, is_superuser=True,
                       full_name="김담당")


def misfits(page):
    """The header items whose text takes more than one line or that stick out of the window."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        '.navbar-brand, #nav .nav-link, #nav .navbar-text, #nav .btn')).filter((el) => {
          const style = getComputedStyle(el);
          const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
          const box = el.getBoundingClientRect();
          return box.height > line * 1.5 + 16 || box.right > window.innerWidth
            || box.left < 0;
        }).map((el) => el.textContent.trim())""")


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_header_fits_on_one_line_at_1280_px(browser, live_url, staff, language):
    page = sign_in(browser, live_url, "staff@mss.test")
    page.set_viewport_size({"width": 1280, "height": 800})
    if language == "en":
        page.click("#language-form button[value=en]")
        expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{live_url}/announcements/")
    page.screenshot(path=f"/tmp/a-shot-header-{language}.png")
    assert misfits(page) == []
    # Two rows: the language, greeting and sign-out above the menu.
    assert page.locator("nav.navbar").bounding_box()["height"] < 100
