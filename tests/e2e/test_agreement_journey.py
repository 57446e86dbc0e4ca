"""The post-award life cycle, end to end in Chromium: a selected company accepts its agreement
(password entered again, conditions ticked) and downloads its PDF; another declines; staff
preview and confirm a promotion; the promoted company downloads its additional selection
notice and accepts; the first company requests a 2-month extension, staff approve it, and a
second extension is refused with its rule named."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from awards import services as award_services
from programs.enums import FundingSource
from programs.models import BudgetLine, Call
from projects.models import AgreementVersion
from tests.e2e.conftest import pass_two_factor
from tests.factories.applications import CompanyFactory, MembershipFactory
from tests.factories.awards import close_call, reviewers, scored_application
from tests.factories.portal import PASSWORD, UserFactory

SHOTS = "var/screenshots"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def journey(demo, settings, live_url):
    """Jeonbuk's award run confirmed: of three advanced applicants at 400,000,000 the
    400,000,000 national line funds two; the third is waitlisted."""
    settings.SITE_URL = live_url
    call = close_call(Call.objects.get(code="2025-JB"))
    BudgetLine.objects.filter(call=call, source=FundingSource.NATIONAL).update(
        amount=400_000_000)
    advanced = call.tracks.get(order=1)
    panel = reviewers(1)
    names = ["한빛농식품", "새벽바이오", "들녘푸드"]
    applications = [
        scored_application(advanced, cost=400_000_000, totals=(Decimal(91) - i,), panel=panel,
                           in_kind=50_000_000,
                           company=CompanyFactory(name=name, region=call.region))
        for i, name in enumerate(names)]
    for index, application in enumerate(applications):
        MembershipFactory(company=application.company,
                          user=UserFactory(email=f"owner{index}@company.test"))
    staff = UserFactory(email="staff@mss.test", is_staff=True, is_superuser=True,
                        full_name="협약 담당")
    run = award_services.start_run(call, user=staff)
    run.refresh_from_db()
    award_services.confirm_run(run, user=staff)
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


def accept_agreement(page):
    page.fill("#id_supplier_name", "전북스마트솔루션")
    page.fill("#id_supplier_registration_number", "124-81-00998")
    page.fill("#id_bank_name", "전북은행")
    page.fill("#id_account_number", "1021-01-234567")
    page.fill("#id_account_holder", "대표 계좌")
    page.check("#id_conditions")
    page.fill("#id_password", PASSWORD)
    page.click("#accept-agreement")
    expect(page.locator("#stage")).to_have_text("협약 체결")


def test_agreement_promotion_and_change_request(journey, browser, live_url, tmp_path):
    call, applications = journey

    # The first company: its dashboard shows the deadline; it accepts, then downloads its PDF.
    first = sign_in(browser, live_url, "owner0@company.test")
    expect(first.locator("#dashboard-agreements .stage")).to_have_text("협약 수락 대기")
    expect(first.locator("#dashboard-agreements .due")).to_contain_text("까지 수락")
    first.get_by_role("link", name="협약 열기").click()
    expect(first.locator("#time-left")).to_be_visible()
    first.screenshot(path=f"{SHOTS}/agreement-open.png", full_page=True)
    # A letter in the account number: refused, what was typed kept.
    first.fill("#id_account_number", "1021-AB-234567")
    first.fill("#id_bank_name", "전북은행")
    first.click("#save-agreement")
    expect(first.locator("#id_account_number")).to_have_value("1021-AB-234567")
    expect(first.locator("#id_account_number ~ .invalid-feedback, "
                         "#id_account_number + .invalid-feedback").first).to_contain_text(
        "계좌번호")
    accept_agreement(first)
    first.screenshot(path=f"{SHOTS}/agreement-accepted.png", full_page=True)
    version = AgreementVersion.objects.get(agreement__application=applications[0])
    with first.expect_download() as download:
        first.locator("#versions").get_by_role("link", name="PDF 내려받기").click()
    path = tmp_path / "agreement.pdf"
    download.value.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
    assert download.value.suggested_filename == f"agreement-{version.code}.pdf"

    # The second company declines.
    second = sign_in(browser, live_url, "owner1@company.test")
    second.get_by_role("link", name="협약 열기").click()
    second.locator("#decline-form").evaluate("form => form.closest('details').open = true")
    second.fill("#id_reason", "자부담 확보가 어려워 포기합니다.")
    second.click("#decline")
    expect(second.locator("#stage")).to_have_text("포기")

    # Staff: what the track freed and its waitlist; preview, then confirm the promotion.
    staff = sign_in(browser, live_url, "staff@mss.test")
    staff.locator("#dashboard-projects-staff").get_by_role("link", name="추가 선정").click()
    staff.locator("#promotion-calls").get_by_role("link").first.click()
    advanced = staff.locator(".track").first
    expect(advanced.locator(".waitlist tbody tr")).to_have_count(1)
    expect(advanced.locator(".waitlist tbody")).to_contain_text("들녘푸드")
    advanced.get_by_role("button", name="추가 선정 미리 보기").click()
    expect(staff.locator("#promotion-lines .outcome")).to_have_text(["추가 선정"])
    staff.screenshot(path=f"{SHOTS}/promotion-preview.png", full_page=True)
    staff.click("#confirm-promotion")
    expect(staff.locator("#run-status")).to_contain_text("확정")

    # The promoted company: its additional selection notice, then its agreement.
    third = sign_in(browser, live_url, "owner2@company.test")
    third.get_by_role("link", name="협약 열기").click()
    with third.expect_download() as download:
        third.click("#additional-notice")
    path = tmp_path / "notice.pdf"
    download.value.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
    accept_agreement(third)

    # The first company asks for a 2-month extension; staff approve it.
    first.click("#new-change")
    first.select_option("#id_kind", "extension")
    first.fill("#id_cause_on", first.evaluate("() => new Date().toISOString().slice(0, 10)"))
    first.fill("#id_reason", "설비 납기 지연")
    first.fill("#id_months", "2")
    first.click("#file-change")
    expect(first.locator("#changes .change-status")).to_have_text(["결정 대기"])

    staff.goto(f"{live_url}/manage/agreements/changes/")
    staff.locator("#changes").get_by_role("link").first.click()
    staff.check("input[name=decision][value=approve]")
    staff.fill("#id_reason", "납기 지연 증빙 확인")
    staff.click("#decide")
    expect(staff.locator("#change-status")).to_contain_text("승인")

    first.reload()
    expect(first.locator("#versions li")).to_have_count(2)
    # A second extension: refused, with the rule named.
    first.click("#new-change")
    first.select_option("#id_kind", "extension")
    first.fill("#id_cause_on", first.evaluate("() => new Date().toISOString().slice(0, 10)"))
    first.fill("#id_reason", "추가 지연")
    first.fill("#id_months", "1")
    first.click("#file-change")
    expect(first.locator("#change-form .alert")).to_contain_text("기간 연장 1회 한정")
    expect(first.locator("#id_reason")).to_have_value("추가 지연")
    first.screenshot(path=f"{SHOTS}/change-refused.png", full_page=True)
