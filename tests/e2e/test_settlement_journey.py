"""The money after the agreement, end to end in Chromium: staff record the company's cash
deposit and pay the advance (previewed, then confirmed); the company reports its completion
with an invoice from another supplier besides the agreed one's, and its proofs of payment;
staff see the flag and clear it with a reason, assign an inspector, who passes the inspection;
staff settle with a refund; the company downloads its settlement notice, and files its
follow-up report when the first year is due."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from awards import services as award_services
from programs.enums import FundingSource
from programs.models import BudgetLine, Call
from projects import services as project_services
from projects.models import Agreement
from reviews.models import ReviewerProfile
from settlement.models import FollowUpReport, Project
from tests.e2e.conftest import sign_in
from tests.factories.applications import CompanyFactory, MembershipFactory
from tests.factories.awards import close_call, reviewers, scored_application
from tests.factories.portal import UserFactory
from tests.factories.reviews import ReviewerProfileFactory

SHOTS = "var/screenshots"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def journey(demo, settings, live_url):
    """One Jeonbuk company selected at 400,000,000 (200,000,000 national, 80,000,000
    provincial) whose agreement is accepted."""
    settings.SITE_URL = live_url
    call = close_call(Call.objects.get(code="2025-JB"))
    BudgetLine.objects.filter(call=call, source=FundingSource.NATIONAL).update(
        amount=400_000_000)
    advanced = call.tracks.get(order=1)
    application = scored_application(advanced, cost=400_000_000, totals=(Decimal(91),),
                                     panel=reviewers(1), in_kind=50_000_000,
                                     company=CompanyFactory(name="한빛농식품",
                                                            region=call.region))
    owner = MembershipFactory(company=application.company,
                              user=UserFactory(email="owner@company.test")).user
    staff = UserFactory(email="staff@mss.test", is_staff=True, is_superuser=True,
                        full_name="정산 담당")
    ReviewerProfileFactory(user=UserFactory(email="inspector@review.test",
                                            full_name="점검 위원"))
    run = award_services.start_run(call, user=staff)
    run.refresh_from_db()
    award_services.confirm_run(run, user=staff)
    agreement = Agreement.objects.get(application=application)
    values = {name: getattr(agreement, name) for name in project_services.EDITABLE_FIELDS}
    values.update(supplier_name="전북스마트솔루션", supplier_registration_number="1248100998",
                  contribution_cash=70_000_000, contribution_in_kind=50_000_000,
                  bank_name="전북은행", account_number="1021-01-234567",
                  account_holder="한빛농식품")
    project_services.accept_agreement(agreement, values, user=owner,
                                      revision=agreement.revision)
    return Project.objects.get(agreement=agreement)


def upload(page, selector, tmp_path, name="record.pdf"):
    path = tmp_path / name
    path.write_bytes(PDF)
    page.set_input_files(selector, str(path))


def test_payments_completion_inspection_settlement_and_follow_up(journey, browser, live_url,
                                                                 tmp_path):
    project = journey
    start = project.agreement.period_start

    # Staff: the company's cash deposit, then the advance previewed and confirmed.
    staff = sign_in(browser, live_url, "staff@mss.test")
    staff.goto(f"{live_url}/projects/{project.pk}/")
    staff.fill("#id_amount", "70,000,000")
    staff.fill("#id_deposited_on", start.isoformat())
    upload(staff, "#id_file", tmp_path)
    staff.locator("#deposit-form button").click()
    expect(staff.locator("#deposited")).to_contain_text("70,000,000원")
    staff.click("#prepare-advance")
    expect(staff.locator("#order-total")).to_have_text("196,000,000원")
    staff.click("#confirm-payment")
    expect(staff.locator("#figures-national")).to_contain_text("140,000,000원")

    # The company: its completion report, an invoice from another supplier among them.
    owner = sign_in(browser, live_url, "owner@company.test")
    owner.goto(f"{live_url}/projects/{project.pk}/report/")
    owner.fill("#id_actual_software", "210,000,000")
    owner.fill("#id_summary", "MES와 온·습도 센서 구축 완료")
    owner.press("#id_summary", "Tab")
    expect(owner.locator("#autosave-message")).to_have_attribute("data-state", "saved",
                                                                 timeout=10_000)
    invoices = [("20250301-41000012-34567890", "1248100998", "전북스마트솔루션",
                 "200,000,000", "20,000,000"),
                ("20250301-41000012-34567891", "1208147521", "다른공급사",
                 "10,000,000", "1,000,000")]
    for number, registration, name, supply, vat in invoices:
        owner.fill("#id_approval_number", number)
        owner.fill("#id_issued_on", (start + timedelta(days=20)).isoformat())
        owner.fill("#id_supplier_name", name)
        owner.fill("#id_supplier_registration_number", registration)
        owner.fill("#id_supply_amount", supply)
        owner.fill("#id_vat", vat)
        owner.locator("#invoice-form button").click()
    expect(owner.locator("#invoices tbody tr")).to_have_count(2)
    for registration, amount in (("1248100998", "220,000,000"), ("1208147521", "11,000,000")):
        owner.fill("#id_payment-supplier_registration_number", registration)
        owner.fill("#id_payment-paid_on", (start + timedelta(days=25)).isoformat())
        owner.fill("#id_payment-amount", amount)
        upload(owner, "#id_payment-file", tmp_path)
        owner.locator("#payment-form button").click()
    expect(owner.locator("#supplier-payments li")).to_have_count(2)
    owner.click("#submit-report")
    expect(owner.locator("#project-status")).to_have_text("완료보고")

    # Staff: the flag (another supplier), cleared with a reason; an inspector assigned.
    staff.goto(f"{live_url}/projects/{project.pk}/settlement/")
    staff.click("#compute-settlement")
    expect(staff.locator("#flags tbody tr")).to_have_count(1)
    expect(staff.locator("#flags")).to_contain_text("협약한 공급기업이 아님")
    expect(staff.locator("#confirm-settlement")).to_be_disabled()
    flags = staff.locator("#flags")
    flags.locator("textarea").fill("공급기업 아님: 인정 사업비에서 제외")
    flags.locator("input[type=checkbox]").check()
    flags.locator("button").click()
    expect(staff.locator("#flags")).to_contain_text("인정 사업비에서 제외")
    inspector_profile = ReviewerProfile.objects.get(user__email="inspector@review.test")
    staff.locator("#assign-inspector select").select_option(str(inspector_profile.pk))
    staff.locator("#assign-inspector button").click()
    expect(staff.locator("#inspections")).to_contain_text("배정")

    # The inspector passes the inspection.
    inspector = sign_in(browser, live_url, "inspector@review.test")
    inspector.goto(f"{live_url}/inspections/")
    inspector.locator("#inspections a").first.click()
    inspector.check("#item-0")
    inspector.fill("#id_findings", "설치 및 기능 확인")
    inspector.check("input[name=decision][value=passed]")
    inspector.click("#record-inspection")
    expect(inspector.locator("#inspection-status")).to_have_text("합격")

    # Staff settle: 200,000,000 recognised, 140,000,000 settled, 56,000,000 to refund.
    staff.goto(f"{live_url}/projects/{project.pk}/settlement/")
    staff.click("#compute-settlement")
    expect(staff.locator("#recognised-cost")).to_have_text("200,000,000원")
    staff.screenshot(path=f"{SHOTS}/settlement-preview.png", full_page=True)
    staff.click("#confirm-settlement")
    expect(staff.locator("#project-status")).to_have_text("정산 완료")
    expect(staff.locator("#refunds")).to_contain_text("40,000,000원")
    expect(staff.locator("#refunds")).to_contain_text("16,000,000원")

    # The company downloads its settlement notice.
    owner.goto(f"{live_url}/projects/{project.pk}/")
    with owner.expect_download() as download:
        owner.click("#notice-download")
    path = tmp_path / "settlement.pdf"
    download.value.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"

    # A year later (the first report's due date moved to today): the follow-up report.
    FollowUpReport.objects.filter(project=project, year=1).update(
        due_on=timezone.localdate())
    owner.reload()
    expect(owner.locator("#follow-up-form")).to_be_visible()
    for field in owner.locator("#follow-up-form input[type=text]").all():
        field.fill("150")
    owner.click("#file-follow-up")
    expect(owner.locator("#follow-ups")).to_contain_text("제출")
    owner.screenshot(path=f"{SHOTS}/settlement-follow-up.png", full_page=True)
