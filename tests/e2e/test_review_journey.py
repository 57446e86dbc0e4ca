"""Reviews, end to end in Chromium: staff assign three reviewers automatically; one declares a
conflict of interest and is replaced; every reviewer scores; staff read the matrix and the
ranking."""

import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from applications.enums import ApplicationStatus
from applications.models import Document
from programs.models import DocumentType, EvaluationRound
from tests.e2e.conftest import sign_in
from tests.factories.applications import (
    ApplicationFactory,
    BusinessPlanFactory,
    PlanVersionFactory,
)
from tests.factories.portal import UserFactory
from tests.factories.reviews import ReviewerProfileFactory

# Each reviewer's points per criterion (30/20/20/20/10), per company.
SCORES = {
    "가람식품": {"reviewer2": [27, 18, 17, "17.5", 9], "reviewer3": [25, 16, 16, 15, 8],
                "reviewer4": [26, 17, 18, 16, "8.5"]},
    "나래식품": {"reviewer4": [20, 15, 14, 13, 7], "reviewer1": [22, 14, 15, 14, 6],
                "reviewer2": [21, 13, 13, 12, 7]},
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def application(call, track, name, overview):
    app = ApplicationFactory(call=call, track=track, company__name=name, submitted=True,
                             status=ApplicationStatus.ELIGIBLE)
    BusinessPlanFactory(application=app, company_overview=overview)
    document = Document.objects.create(
        application=app, document_type=DocumentType.objects.get(code="financial-statements"),
        file=ContentFile(b"%PDF-1.4 plan", name="plan.pdf"), original_name="사업계획서.pdf",
        content_type="application/pdf", size=13)
    PlanVersionFactory(application=app, number=1, data={
        "plan": {"company_overview": overview, "systems": "MES와 온도 센서",
                 "cost_software": 50_000_000, "cost_hardware": 40_000_000},
        "documents_ids": [document.pk]})
    return app


@pytest.fixture
def journey(demo):
    evaluation_round = EvaluationRound.objects.select_related("call").get(call__code="2025-GB")
    call = evaluation_round.call
    basic = call.tracks.get(kind="basic")
    first = application(call, basic, "가람식품", "1998년 설립한 장류 제조 기업")
    second = application(call, basic, "나래식품", "떡류 제조 기업")
    UserFactory(email="staff@mss.test", is_staff=True, is_superuser=True)
    for number in range(1, 5):
        ReviewerProfileFactory(user=UserFactory(email=f"reviewer{number}@review.test",
                                                full_name=f"평가위원{number}"),
                               calls=[call])
    return evaluation_round, first, second


def score(page, live_url, company, points):
    """From the queue: confirm no conflict if still asked, then score every criterion and
    submit."""
    page.goto(f"{live_url}/reviews/")
    page.locator("#review-queue tr", has_text=company).locator("a").click()
    if "/conflict/" in page.url:
        page.locator("input[name=answer][value=none]").check()
        page.locator("main form [type=submit]").first.click()
    expect(page.locator("#company-name")).to_have_text(company)
    fields = page.locator("#score-form input[data-points]")
    expect(fields).to_have_count(5)
    for index, value in enumerate(points):
        fields.nth(index).fill(str(value))
    total = sum(float(p) for p in points)
    expect(page.locator("#running-total")).to_have_text(f"{total:g}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#score-form button[name=submit]").click()
    expect(page).to_have_url(re.compile(r"/reviews/$"))
    expect(page.locator("#review-queue tr", has_text=company)
           .locator("[data-state]")).to_have_attribute("data-state", "submitted")


def test_staff_assign_reviewer_declares_conflict_is_replaced_all_score_staff_rank(
        journey, live_url, browser):
    evaluation_round, first, second = journey
    round_url = f"{live_url}/manage/reviews/rounds/{evaluation_round.pk}/"

    # Staff assign three reviewers per application automatically.
    staff = sign_in(browser, live_url, "staff@mss.test")
    staff.goto(f"{live_url}/manage/reviews/")
    staff.locator(f"#rounds tr[data-round='{evaluation_round.pk}'] "
                  f"a[href$='/rounds/{evaluation_round.pk}/']").click()
    expect(staff).to_have_url(round_url)
    staff.locator("#id_per_application").fill("3")
    staff.locator("#auto-assign-form [type=submit]").click()
    for app in (first, second):
        expect(staff.locator(f"#applications tr[data-application='{app.pk}'] [data-state]")
               ).to_have_count(3)
    expect(staff.locator(f"#applications tr[data-application='{first.pk}']")).to_contain_text(
        "평가위원1")

    # Reviewer 1 sees the company and supplier names and declares a conflict on 가람식품.
    reviewer1 = sign_in(browser, live_url, "reviewer1@review.test")
    reviewer1.goto(f"{live_url}/reviews/")
    expect(reviewer1.locator("#review-queue tbody tr")).to_have_count(2)
    reviewer1.locator("#review-queue tr", has_text="가람식품").locator("a").click()
    expect(reviewer1.locator("#company-name")).to_have_text("가람식품")
    expect(reviewer1.locator("body")).not_to_contain_text("1998년 설립한 장류 제조 기업")
    reviewer1.locator("input[name=answer][value=declared]").check()
    reviewer1.locator("textarea[name=reason]").fill("대표이사가 본인의 친척입니다.")
    reviewer1.locator("main form [type=submit]").first.click()
    expect(reviewer1).to_have_url(re.compile(r"/reviews/$"))
    expect(reviewer1.locator(".alert-success")).to_contain_text("이해충돌 신고가 접수되었습니다")
    # The row leaves the queue at once, as the message says (issue 11 item 9).
    expect(reviewer1.locator("#review-queue tbody tr")).to_have_count(1)
    expect(reviewer1.locator("#review-queue")).not_to_contain_text("가람식품")

    # Staff are told, and replace reviewer 1 with the least-loaded committee member.
    staff.goto(round_url)
    conflicts = staff.locator("#conflicts")
    expect(conflicts).to_contain_text("평가위원1")
    expect(conflicts).to_contain_text("대표이사가 본인의 친척입니다.")
    conflicts.locator("a").click()
    staff.locator("main form [type=submit]").first.click()
    expect(staff.locator("#assignments")).to_contain_text("평가위원4")
    staff.goto(round_url)
    expect(staff.locator("#conflicts")).to_have_count(0)
    first_row = staff.locator(f"#applications tr[data-application='{first.pk}']")
    expect(first_row).to_contain_text("평가위원4")
    expect(first_row).not_to_contain_text("평가위원1")

    # Every reviewer scores what is theirs.
    pages = {"reviewer1": reviewer1}
    for number in (2, 3, 4):
        pages[f"reviewer{number}"] = sign_in(browser, live_url, f"reviewer{number}@review.test")
    for company, by_reviewer in SCORES.items():
        for reviewer, points in by_reviewer.items():
            score(pages[reviewer], live_url, company, points)

    # Staff see the complete matrix, mark the applications scored and read the ranking.
    staff.goto(round_url)
    staff.locator(".nav-tabs .nav-link").nth(1).click()
    expect(staff.locator("#progress progress")).to_have_attribute("value", "100")
    expect(staff.locator("#progress")).to_contain_text("6")
    first_matrix_row = staff.locator(f"#score-matrix tr[data-application='{first.pk}']")
    for total in ("88.5", "80", "85.5"):
        expect(first_matrix_row).to_contain_text(total)
    staff.locator("form[action$='/mark-scored/'] [type=submit]").click()
    ranking = staff.locator("#ranking")
    expect(ranking.locator(f"tr[data-application='{first.pk}'] td").first).to_have_text("1")
    expect(ranking.locator(f"tr[data-application='{first.pk}']")).to_contain_text("84.67")
    expect(ranking.locator(f"tr[data-application='{second.pk}'] td").first).to_have_text("2")
    expect(ranking.locator(f"tr[data-application='{second.pk}']")).to_contain_text("68.67")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ApplicationStatus.SCORED, ApplicationStatus.SCORED)
