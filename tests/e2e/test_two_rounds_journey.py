"""A call evaluated in two rounds (issue 14 item 1) in Chromium: the Gyeongbuk call's document
round (weight 40, pass mark 60) is closed by staff, who read who passes on and by which rule,
open the presentation round (weight 60, its own committee) for those only, mark it scored, read
its ranking with the calibrated score and a disagreement flag, ask for one more reviewer for the
flagged application, and start an award run whose preview ranks by the weighted final score and
marks a decision below 100% stability."""

import os
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from applications.enums import ApplicationStatus
from programs.models import Call, EvaluationRound
from reviews.models import Assignment, RoundResult
from tests.e2e.conftest import sign_in
from tests.factories.applications import CompanyFactory
from tests.factories.awards import close_call, reviewers, scored_application
from tests.factories.portal import UserFactory
from tests.factories.reviews import EvaluationRoundFactory, submitted_review

SHOTS = os.environ.get("E2E_SHOTS", "")
D = Decimal
# (company, document round totals, presentation round totals)
APPLICANTS = [
    ("가람식품", (85, 85, 85), (88, 80, 84)),   # 0.4 × 85 + 0.6 × 84 = 84.40
    ("나래푸드", (80, 80, 80), (82, 78, 80)),   # 32 + 48 = 80.00
    ("다온식품", (80, 80, 80), (60, 90, 84)),   # range 30: disagreement; with the extra
                                                # reviewer's 84: 32 + 0.6 × 79.5 = 79.70
    ("라온유업", (75, 75, 75), (77, 77, 77)),   # 30 + 46.20 = 76.20
    ("마루제과", (72, 72, 72), (74, 74, 74)),   # 28.80 + 44.40 = 73.20
    ("바다수산", (50, 55, 52), ()),             # 52.33: below the pass mark, stops
]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def journey(demo):
    call = close_call(Call.objects.get(code="2025-GB"))
    call.reviewers.clear()
    documents = EvaluationRound.objects.get(call=call)
    EvaluationRound.objects.filter(pk=documents.pk).update(weight=40, pass_mark=D("60"))
    documents.refresh_from_db()
    presentation = EvaluationRoundFactory(call=call, kind=EvaluationRound.Kind.PRESENTATION,
                                          order=2, weight=60)
    basic = call.tracks.get(kind="basic")
    basic.target_count = 2  # two places: the funding line falls between 80.00 and 78.80
    basic.save(update_fields=["target_count"])
    document_panel = reviewers(3)
    for reviewer in document_panel:
        reviewer.calls.add(call)
    presentation_panel = reviewers(4)  # the fourth is spare: the extra reviewer
    for reviewer in presentation_panel:
        reviewer.rounds.add(presentation)
    applications = {}
    for name, totals, _later in APPLICANTS:
        applications[name] = scored_application(
            basic, cost=100_000_000, totals=tuple(D(t) for t in totals), panel=document_panel,
            evaluation_round=documents, company=CompanyFactory(name=name, region=call.region))
    UserFactory(email="staff@mss.test", is_staff=True, is_superuser=True, full_name="평가 담당")
    return call, documents, presentation, presentation_panel, applications


def test_two_rounds_from_documents_to_the_award_preview(journey, live_url, browser):
    call, documents, presentation, panel, applications = journey
    staff = sign_in(browser, live_url, "staff@mss.test")

    # The document round: what closing it would decide, then close it.
    staff.goto(f"{live_url}/manage/reviews/rounds/{documents.pk}/")
    staff.locator(".nav-tabs .nav-link", has_text="평가 단계와 진출").click()
    table = staff.locator("#pass-on")
    stopped = table.locator(f"tr[data-application='{applications['바다수산'].pk}']")
    expect(stopped).to_have_attribute("data-rule", "below_mark")
    expect(stopped.locator("td").nth(3)).to_have_text("52.33")
    expect(table.locator("tr[data-passed='yes']")).to_have_count(5)
    shot(staff, "pass-on-preview")
    staff.locator("#close-round").click()
    expect(staff.locator(".alert-success")).to_contain_text("6건 중 5건")
    expect(staff.locator("#closed-note")).to_be_visible()
    expect(table.locator("tr[data-rule='met']")).to_have_count(5)
    assert RoundResult.objects.filter(round=documents, passed=True).count() == 5

    # Open the presentation round for those who pass on.
    staff.locator("#open-next").click()
    expect(staff).to_have_url(re.compile(rf"/manage/reviews/rounds/{presentation.pk}/$"))
    stopped_application = applications["바다수산"]
    stopped_application.refresh_from_db()
    assert stopped_application.status == ApplicationStatus.NOT_SELECTED

    # The presentation committee scores (their own pages are the review journey's).
    for name, _totals, later in APPLICANTS:
        for total, reviewer in zip(later, panel, strict=False):
            submitted_review(applications[name], presentation, D(total), reviewer=reviewer)

    # Its ranking: mark everything scored, read the calibrated column and the flag.
    staff.goto(f"{live_url}/manage/reviews/rounds/{presentation.pk}/matrix/")
    staff.get_by_role("button", name=re.compile("평가 완료로 처리")).click()
    ranking = staff.locator("#ranking")
    flagged = ranking.locator(f"tr[data-application='{applications['다온식품'].pk}']")
    expect(flagged.locator("[data-disagreement]")).to_have_text("평가 불일치")
    expect(ranking.locator("[data-disagreement]")).to_have_count(1)
    expect(flagged.locator("[data-calibrated]")).not_to_have_text("—")
    shot(staff, "presentation-ranking")

    # One more reviewer for the flagged application: the spare committee member.
    flagged.locator("[data-extra-reviewer]").click()
    expect(staff.locator(".alert-success")).to_contain_text("추가 평가위원으로 배정되었습니다")
    daon = applications["다온식품"]
    extra = Assignment.objects.get(application=daon, round=presentation,
                                   submitted_at__isnull=True)
    assert extra.reviewer_id == panel[3].pk
    daon.refresh_from_db()
    assert daon.status == ApplicationStatus.UNDER_REVIEW
    Assignment.objects.filter(pk=extra.pk).delete()  # the reviewer's own page is elsewhere
    submitted_review(daon, presentation, D(84), reviewer=panel[3])
    staff.get_by_role("button", name=re.compile("평가 완료로 처리")).click()
    expect(flagged.locator("[data-disagreement]")).to_have_text("평가 불일치")

    # The award run ranks by the weighted final score; a decision at the line is unstable.
    staff.goto(f"{live_url}/manage/awards/calls/{call.pk}/")
    staff.locator("#start-run").click()
    expect(staff.locator("#preview-note")).to_be_visible()
    expect(staff.locator("#score-basis")).to_have_text("단계별 점수의 가중 합 + 가점")
    expect(staff.locator("#count-selected")).to_have_text("2")
    first = staff.locator(f"#line-{applications['가람식품'].pk}")
    expect(first).to_contain_text("84.40")
    second = staff.locator(f"#line-{applications['나래푸드'].pk}")
    expect(second).to_contain_text("80.00")
    expect(second.locator("[data-stability] .badge")).to_be_visible()
    stability = D(second.locator("[data-stability]").get_attribute("data-stability"))
    assert stability < 100
    expect(staff.locator(f"#line-{applications['다온식품'].pk}")).to_contain_text("79.70")
    # Four presentation reviewers to leave out; without the one who gave 다온식품 60 it
    # overtakes both: 나래푸드 keeps its place in three of the four.
    assert stability == D("75.00")
    shot(staff, "award-preview")
