"""Confirming the Jeonbuk demo run (20 notices) on the embedded default (issue 11, point 6),
in Chromium: the confirmation returns in under 2 s (it used to make every notice in the request,
19–22 s), the notices are made in the background while the run's page polls, and the bar moves
from 0 to full."""

import re
import time

import pytest
from playwright.sync_api import expect

from awards import services
from portal.models import User
from programs.models import Call
from tests.awards.test_demo import load_before_projects
from tests.e2e.conftest import sign_in
from tests.factories.portal import PASSWORD


@pytest.fixture
def demo_run(settings, db, live_url):
    settings.DEBUG = True  # the demo accounts
    settings.SITE_URL = live_url
    settings.OUTBOX_EAGER_BACKGROUND = True  # as `make run` has it
    load_before_projects()
    call = Call.objects.get(code="2025-JB")
    staff = User.objects.get(email="staff@demo.smartfactory.kr")
    staff.set_password(PASSWORD)  # the sign-in helper's
    staff.save(update_fields=["password"])
    return services.start_run(call, user=staff)


def test_confirming_the_demo_run_returns_at_once_and_the_bar_moves_to_full(demo_run, browser,
                                                                           live_url):
    staff = sign_in(browser, live_url, "staff@demo.smartfactory.kr")
    staff.goto(f"{live_url}/manage/awards/runs/{demo_run.pk}/")
    expect(staff.locator("#preview-note")).to_be_visible()
    staff.once("dialog", lambda dialog: dialog.accept())
    confirm_url = f"{live_url}/manage/awards/runs/{demo_run.pk}/confirm/"
    with staff.expect_response(confirm_url) as answer:
        staff.get_by_role("button", name="확정 및 통지서 발송").click()
    # The confirmation's own answer (its redirect), from the request's start to its end.
    timing = answer.value.request.timing
    elapsed = (timing["responseEnd"] - timing["requestStart"]) / 1000
    print(f"confirmation returned in {elapsed:.2f} s")
    assert elapsed < 2
    expect(staff.locator(".alert-success")).to_contain_text("산정을 확정했습니다.")
    bar = staff.locator("#notice-progress progress")
    expect(bar).to_have_attribute("max", "20")
    seen = set()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        seen.add(int(bar.get_attribute("value")))
        if 20 in seen:
            break
        staff.wait_for_timeout(250)
    assert 20 in seen
    assert [value for value in seen if 0 < value < 20] != []  # it moved, not jumped to full
    expect(staff.locator("#notice-counts")).to_have_text(
        re.compile(r"통지서 20건 중 20건 생성, 20건 발송"), timeout=20_000)
