"""A company applies online, in Chromium against a live server (Korean, the default).

The confirmation email is read from ``django.core.mail.outbox``: the locmem backend is shared
in-process with the live server. The bad-input journeys start from a signed-in company.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from applications import services
from applications.demo import pdf_bytes
from applications.enums import ApplicationStatus
from applications.models import Application, BusinessPlan, PlanVersion
from programs.models import Announcement, Call, Region
from tests.factories.applications import (
    CompanyFactory,
    MembershipFactory,
    complete_plan_values,
    make_complete_application,
)
from tests.factories.portal import PASSWORD, UserFactory

NEW_PASSWORD = "green-kettle-harbour-42"
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 300


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(page, live_url, email, password=PASSWORD):
    page.goto(f"{live_url}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.click("#login-button")
    expect(page).to_have_url(f"{live_url}/dashboard/")


def gb_basic():
    return Call.objects.get(code="2025-GB").tracks.get(kind="basic")


def company_user(email="owner@food.test"):
    company = CompanyFactory(region=Region.objects.get(code="GB"), name="청송식품",
                             registration_number="1208147521")
    return MembershipFactory(company=company, user=UserFactory(email=email)).user


def test_new_company_signs_up_registers_applies_and_sees_its_receipt_number(demo, live_url,
                                                                            page):
    # Sign up and confirm the address from the outbox.
    page.goto(f"{live_url}/accounts/signup/")
    expect(page.locator("h1")).to_have_text("회원가입")
    page.fill("#id_email", "ceo@cheongsong-food.test")
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.fill("#id_full_name", "박청송")
    page.check("#id_consent_personal_information")
    page.click("#signup-button")
    expect(page.locator("#verification-sent")).to_contain_text("링크가 담긴 이메일을 보냈습니다")
    (message,) = [m for m in mail.outbox if m.to == ["ceo@cheongsong-food.test"]]
    assert message.subject == "[스마트공장 지원 포털] 이메일 주소 확인"
    path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body)[1]
    page.goto(live_url + path)
    page.click("#confirm-button")
    sign_in(page, live_url, "ceo@cheongsong-food.test", NEW_PASSWORD)

    # Register the company.
    page.click("#register-company")
    page.fill("#id_name", "청송식품")
    page.fill("#id_registration_number", "120-81-47521")
    page.fill("#id_representative", "김청송")
    page.select_option("#id_region", label="경상북도")
    page.fill("#id_address", "경상북도 청송군 청송읍 1")
    page.fill("#id_ksic_code", "C10")
    page.check("#id_is_sme")
    page.fill("#id_employees", "18")
    page.fill("#id_revenue", "2,400,000,000")
    page.click("#company-save")
    expect(page.locator("#registration-number")).to_have_text("120-81-47521")

    # Apply to the Gyeongbuk basic track from the announcement.
    announcement = Announcement.objects.get(call__code="2025-GB")
    page.goto(f"{live_url}/announcements/{announcement.pk}/")
    page.click("#apply-button")
    page.get_by_label("기초").check()
    page.click("#start-button")
    expect(page.locator("h2")).to_have_text("기업 현황")

    plan = complete_plan_values()
    page.fill("#id_company_overview", plan["company_overview"])
    page.click("#save-continue-button")
    # Long text saves on its own while the company types.
    page.locator("#id_current_production").press_sequentially("수작업 공정", delay=20)
    expect(page.locator("#autosave-message")).to_contain_text("자동 저장했습니다")
    page.fill("#id_production_problems", plan["production_problems"])
    page.click("#save-continue-button")
    page.fill("#id_systems", plan["systems"])
    page.fill("#id_supplier_name", "스마트솔루션")
    page.fill("#id_supplier_registration_number", "220-81-62517")
    page.click("#save-continue-button")

    # The support per funding source follows the amounts typed (computed by the server).
    page.fill("#id_cost_software", "50,000,000")
    page.fill("#id_cost_hardware", "30,000,000")
    page.fill("#id_cost_consulting", "10,000,000")
    page.fill("#id_cost_other", "0")
    expect(page.locator("#support-provincial")).to_have_text("27,000,000원")
    expect(page.locator("#support-municipal")).to_have_text("27,000,000원")
    expect(page.locator("#support-total")).to_have_text("54,000,000원")
    expect(page.locator("#support-contribution")).to_have_text("36,000,000원")
    page.fill("#id_contribution_cash", "20,000,000")
    page.fill("#id_contribution_in_kind", "16,000,000")
    page.click("#save-continue-button")

    for code, baseline, target in [("productivity", "120", "150"), ("defect_rate", "3.5", "1.2"),
                                   ("cost", "1800", "1550"), ("lead_time", "10", "7")]:
        page.fill(f"#id_{code}_baseline", baseline)
        page.fill(f"#id_{code}_target", target)
    page.click("#save-continue-button")
    page.fill("#id_schedule_start", "2026-01-05")
    page.fill("#id_schedule_end", "2026-06-30")
    page.click("#save-continue-button")
    expect(page.locator("h2")).to_have_text("가점 항목")
    page.click("#save-continue-button")

    # Documents: one PDF per required document.
    for kind in Call.objects.get(code="2025-GB").required_documents.order_by("code"):
        page.select_option("#id_document_type", label=kind.name)
        page.set_input_files("#id_file", files=[{"name": f"{kind.name}.pdf",
                                                 "mimeType": "application/pdf",
                                                 "buffer": pdf_bytes(kind.code)}])
        page.click("#upload-button")
        expect(page.locator(f'[data-document-type="{kind.code}"]')).to_contain_text("제출됨")

    page.get_by_role("link", name="검토 및 제출").last.click()
    # Submitting asks first (issue 11 item 10); a double click still submits once.
    confirms = []
    page.on("dialog", lambda dialog: (confirms.append(dialog.message), dialog.accept()))
    page.locator("#submit-button").dblclick()
    expect(page.locator("#receipt-number")).to_have_text("2025-GB-0001")
    assert confirms[0].startswith("신청서를 제출하시겠습니까?")

    page.goto(f"{live_url}/dashboard/")
    row = page.locator(".application-row")
    expect(row).to_have_count(1)
    expect(row.locator(".receipt-number")).to_have_text("2025-GB-0001")
    expect(row.locator("[data-status]")).to_have_text("제출")
    application = Application.objects.get()
    assert (application.status, PlanVersion.objects.count(),
            PlanVersion.objects.get().requested_support) == (ApplicationStatus.SUBMITTED, 1,
                                                             54_000_000)


def test_wrong_check_digit_shows_the_message_and_keeps_the_input(demo, live_url, page):
    UserFactory(email="new@food.test")
    sign_in(page, live_url, "new@food.test")
    page.goto(f"{live_url}/company/new/")
    page.fill("#id_name", "청송식품")
    page.fill("#id_registration_number", "124-81-00997")
    page.fill("#id_representative", "김청송")
    page.select_option("#id_region", label="경상북도")
    page.fill("#id_address", "경상북도 청송군 1")
    page.fill("#id_ksic_code", "C10")
    page.fill("#id_employees", "18")
    page.fill("#id_revenue", "2,400,000,000")
    page.click("#company-save")
    expect(page.locator("#company-form")).to_contain_text(
        "유효하지 않은 사업자등록번호입니다. 검증 번호가 맞지 않습니다.")
    expect(page.locator("#id_registration_number")).to_have_value("124-81-00997")
    expect(page.locator("#id_name")).to_have_value("청송식품")
    expect(page.locator("#id_revenue")).to_have_value("2,400,000,000")


def test_amount_above_the_limit_shows_the_message_and_keeps_the_input(demo, live_url, page):
    user = company_user()
    application, _created = services.start_application(user.membership.company, gb_basic(),
                                                        user=user)
    sign_in(page, live_url, user.email)
    page.goto(f"{live_url}/applications/{application.pk}/plan/budget/")
    page.fill("#id_cost_software", "1,000,000,000,001")
    page.fill("#id_cost_hardware", "30,000,000")
    page.click("#save-button")
    expect(page.locator("#plan-form")).to_contain_text(
        "금액은 최대 1,000,000,000,000원까지 입력할 수 있습니다.")
    expect(page.locator("#id_cost_software")).to_have_value("1,000,000,000,001")
    expect(page.locator("#id_cost_hardware")).to_have_value("30,000,000")
    assert BusinessPlan.objects.get().cost_software == 0


def test_executable_renamed_pdf_is_refused(demo, live_url, page):
    user = company_user()
    application, _created = services.start_application(user.membership.company, gb_basic(),
                                                        user=user)
    sign_in(page, live_url, user.email)
    page.goto(f"{live_url}/applications/{application.pk}/documents/")
    page.select_option("#id_document_type", label="최근 재무제표")
    page.set_input_files("#id_file", files=[{"name": "사업계획서.pdf",
                                             "mimeType": "application/pdf", "buffer": MZ}])
    page.click("#upload-button")
    expect(page.locator("#upload-form")).to_contain_text(
        "파일 “사업계획서.pdf”은(는) 허용된 형식")
    expect(page.locator("#upload-form")).to_contain_text("파일 이름이 아니라 내용을 확인했습니다.")
    expect(page.locator("#id_document_type option:checked")).to_have_text("최근 재무제표")
    assert application.documents.count() == 0


def test_deadline_passing_while_editing_refuses_clearly_and_keeps_the_draft(demo, live_url,
                                                                           page):
    user = company_user()
    application = make_complete_application(gb_basic(), company=user.membership.company)
    sign_in(page, live_url, user.email)
    page.goto(f"{live_url}/applications/{application.pk}/plan/company/")
    page.fill("#id_company_overview", "마감 직전에 고쳐 쓴 기업 현황")
    Call.objects.filter(code="2025-GB").update(closes_at=timezone.now() - timedelta(minutes=1))
    page.click("#save-button")
    expect(page.locator("#read-only-reason")).to_contain_text("마감되었습니다")
    expect(page.locator("#plan-form")).to_contain_text("마지막으로 저장한 내용은 그대로 보관됩니다")
    expect(page.locator("#id_company_overview")).to_have_value("마감 직전에 고쳐 쓴 기업 현황")
    assert BusinessPlan.objects.get().company_overview == complete_plan_values()[
        "company_overview"]


def test_submission_after_the_deadline_is_refused_and_the_draft_kept(demo, live_url, page):
    user = company_user()
    application = make_complete_application(gb_basic(), company=user.membership.company)
    sign_in(page, live_url, user.email)
    page.goto(f"{live_url}/applications/{application.pk}/submit/")
    Call.objects.filter(code="2025-GB").update(closes_at=timezone.now() - timedelta(minutes=1))
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-button")
    expect(page.locator("#submit-errors")).to_contain_text("신청서를 제출하지 못했습니다.")
    expect(page.locator("#submit-errors")).to_contain_text("마감되었습니다")
    application.refresh_from_db()
    assert (application.status, application.receipt_number,
            BusinessPlan.objects.get().total_cost) == (ApplicationStatus.DRAFT, None, 90_000_000)
