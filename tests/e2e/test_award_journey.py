"""Awards, end to end in Chromium: staff start an award run for Jeonbuk, read the preview and
confirm it; the notices are generated (eagerly, as on the embedded default); a company member
downloads its PDF from the dashboard, and the verification page the PDF points to confirms it.
"""

import re
import subprocess
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from programs.enums import FundingSource
from programs.models import BudgetLine, Call
from tests.e2e.conftest import pass_two_factor
from tests.factories.applications import CompanyFactory, MembershipFactory
from tests.factories.awards import close_call, reviewers, scored_application
from tests.factories.portal import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def journey(demo, settings, live_url):
    """Jeonbuk closed, its national line cut to 400,000,000: of three advanced applicants at
    400,000,000 two fit (200,000,000 national each) and the third is waitlisted."""
    settings.SITE_URL = live_url  # the notices' verification links and QR codes
    call = close_call(Call.objects.get(code="2025-JB"))
    BudgetLine.objects.filter(call=call, source=FundingSource.NATIONAL).update(
        amount=400_000_000)
    advanced = call.tracks.get(order=1)
    panel = reviewers(1)
    applications = [
        scored_application(advanced, cost=400_000_000, totals=(Decimal(91) - i,), panel=panel,
                           in_kind=50_000_000,
                           company=CompanyFactory(name=name, region=call.region))
        for i, name in enumerate(["한빛농식품", "새벽바이오", "들녘푸드"])]
    member = UserFactory(email="owner@hanbit.test", full_name="한빛 대표")
    MembershipFactory(company=applications[0].company, user=member)
    UserFactory(email="staff@mss.test", is_staff=True, is_superuser=True, full_name="선정 담당")
    return call, applications


def sign_in(browser, live_url, email):
    context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul",
                                  accept_downloads=True)
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


def test_staff_award_jeonbuk_and_a_company_downloads_and_verifies_its_notice(
        journey, browser, live_url, tmp_path):
    call, applications = journey

    # Staff: from the dashboard to the call's award runs, start a run, read the preview.
    staff = sign_in(browser, live_url, "staff@mss.test")
    staff.get_by_role("link", name="선정 산정 및 예산 현황").click()
    expect(staff.locator("h1")).to_have_text("선정")
    staff.locator("#award-calls tr", has_text="전북특별자치도").get_by_role(
        "link", name="선정 산정").click()
    staff.get_by_role("button", name="선정 산정 시작").click()
    expect(staff.locator("#preview-note")).to_be_visible()
    expect(staff.locator("#count-selected")).to_have_text("2")
    expect(staff.locator("#count-waitlisted")).to_have_text("1")
    national = staff.locator("#run-budget-national td")
    expect(national).to_have_text(["국비(중기부)", "400,000,000원", "400,000,000원", "0원"])
    expect(staff.locator(f"#line-{applications[2].pk}")).to_contain_text("예비 선정 (1)")

    # Confirm (the browser asks first); the notices are generated at once (eager tasks).
    staff.once("dialog", lambda dialog: dialog.accept())
    staff.get_by_role("button", name="확정 및 통지서 발송").click()
    expect(staff.locator(".alert-success")).to_contain_text("산정을 확정했습니다.")
    expect(staff.locator("#run-status-badge")).to_have_text("확정")
    expect(staff.locator("#notice-counts")).to_have_text("통지서 3건 중 3건 생성, 3건 발송")
    expect(staff.locator("#notice-progress progress")).to_have_attribute("value", "3")

    # The budget dashboard shows what the national line has left.
    staff.goto(f"{live_url}/manage/awards/calls/{call.pk}/budget/")
    expect(staff.locator("#budget-national .remaining")).to_have_text("0원")
    expect(staff.locator("#budget-national .allocated")).to_have_text("400,000,000원")

    # The company member downloads the selection notice from the dashboard.
    member = sign_in(browser, live_url, "owner@hanbit.test")
    notices = member.locator("#dashboard-notices li")
    expect(notices).to_have_count(1)
    expect(notices).to_contain_text("선정")
    with member.expect_download() as download_info:
        notices.get_by_role("link", name="PDF 내려받기").click()
    pdf = tmp_path / "notice.pdf"
    download_info.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          check=True, text=True).stdout
    rows = {}
    for line in text.splitlines():
        parts = re.split(r"\s{2,}", line.strip())
        if len(parts) == 2:
            rows.setdefault(parts[0], parts[1])
    company = applications[0].company
    assert rows["기업"] == f"한빛농식품 ({company.registration_number_display})"
    assert (rows["국비(중기부)"], rows["도비"], rows["지원금 합계"]) == (
        "200,000,000원", "80,000,000원", "280,000,000원")
    assert (rows["현금"], rows["현물"]) == ("70,000,000원", "50,000,000원")
    code = re.search(r"진위 확인 코드 (\S+) ·", text).group(1)
    url = re.search(r"(http://\S+/notices/verify/\S+/)", text).group(1)
    assert url == f"{live_url}/notices/verify/{code}/"

    # Anyone can check it: the verification page confirms the notice's facts.
    visitor = browser.new_page(locale="ko-KR")
    visitor.goto(url)
    expect(visitor.locator("#verify-result")).to_have_text(
        f"통지서 {code}은(는) 포털이 아래 내용으로 발급한 진본입니다.")
    expect(visitor.locator("#verify-company")).to_have_text(
        f"한빛농식품 ({company.registration_number_display})")
    expect(visitor.locator("#verify-kind")).to_have_text("선정")
    expect(visitor.locator("#verify-support")).to_have_text("280,000,000원")
    visitor.goto(f"{live_url}/notices/verify/")
    visitor.fill("#id_code", "ABCD-EFGH-JKMN")
    visitor.get_by_role("button", name="확인").click()
    expect(visitor.locator("#verify-not-found")).to_be_visible()
