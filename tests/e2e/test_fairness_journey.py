"""Fairness advice of issue 14 in Chromium: staff read the ranking of a Gyeongbuk round with the
calibrated score beside the rule score and a disagreement flag, ask for one more reviewer for the
flagged application, and read each reviewer's leniency."""

import os
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from applications.enums import ApplicationStatus
from programs.models import EvaluationRound
from reviews.calibration import round_fairness
from reviews.models import Assignment
from tests.e2e.conftest import sign_in
from tests.factories.applications import ApplicationFactory
from tests.factories.portal import UserFactory
from tests.factories.reviews import ReviewerProfileFactory, submitted_review

SHOTS = os.environ.get("E2E_SHOTS", "")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def journey(demo):
    evaluation_round = EvaluationRound.objects.select_related("call").get(call__code="2025-GB")
    call = evaluation_round.call
    call.reviewers.clear()
    basic = call.tracks.get(kind="basic")
    UserFactory(email="staff@mss.test", is_staff=True, is_superuser=True)
    lenient = ReviewerProfileFactory(user=UserFactory(full_name="관대한 위원"), calls=[call])
    harsh = ReviewerProfileFactory(user=UserFactory(full_name="엄격한 위원"), calls=[call])
    spare = ReviewerProfileFactory(user=UserFactory(full_name="추가 위원"), calls=[call])
    applications = {}
    for reviewer, prefix, totals in ((lenient, "관대", (81, 83, 85, 87, 89)),
                                     (harsh, "엄격", (55, 58, 60, 62, 65))):
        for total in totals:
            application = ApplicationFactory(call=call, track=basic, submitted=True,
                                             company__name=f"{prefix}{total}식품",
                                             status=ApplicationStatus.UNDER_REVIEW)
            submitted_review(application, evaluation_round, total, reviewer=reviewer)
            applications[f"{prefix}{total}"] = application
    flagged = ApplicationFactory(call=call, track=basic, submitted=True,
                                 company__name="다툼식품", status=ApplicationStatus.UNDER_REVIEW)
    for total in (60, 90, 75):
        submitted_review(flagged, evaluation_round, total)
    return evaluation_round, applications, flagged, spare


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_staff_read_calibrated_ranking_ask_an_extra_reviewer_and_read_leniency(
        journey, live_url, browser):
    evaluation_round, applications, flagged, spare = journey
    advice = round_fairness(evaluation_round)
    best_harsh = advice.advice(applications["엄격65"].pk)
    assert best_harsh.calibrated_rank == 1

    staff = sign_in(browser, live_url, "staff@mss.test")
    staff.goto(f"{live_url}/manage/reviews/rounds/{evaluation_round.pk}/matrix/")
    ranking = staff.locator("#ranking")
    harsh_row = ranking.locator(f"tr[data-application='{applications['엄격65'].pk}']")
    # By the rule the harsh reviewer's best is below the lenient reviewer's five; calibrated,
    # it ranks first.
    expect(harsh_row.locator("td").first).to_have_text("7")  # five lenient, the flagged 75
    expect(harsh_row.locator("[data-calibrated]")).to_have_text(str(best_harsh.calibrated_final))
    expect(harsh_row.locator("[data-calibrated-rank]")).to_have_text("1")
    flagged_row = ranking.locator(f"tr[data-application='{flagged.pk}']")
    expect(flagged_row.locator("[data-disagreement]")).to_have_text("평가 불일치")
    expect(ranking.locator("[data-disagreement]")).to_have_count(1)
    shot(staff, "matrix")

    flagged_row.locator("[data-extra-reviewer]").click()
    expect(staff).to_have_url(re.compile(rf"/rounds/{evaluation_round.pk}/matrix/$"))
    expect(staff.locator(".alert-success")).to_contain_text(
        f"추가 위원 평가위원이 {flagged}에 추가 평가위원으로 배정되었습니다.")
    assert list(Assignment.objects.filter(application=flagged, submitted_at__isnull=True)
                .values_list("reviewer_id", flat=True)) == [spare.pk]
    flagged.refresh_from_db()
    assert flagged.status == ApplicationStatus.UNDER_REVIEW

    staff.locator(".nav-tabs .nav-link", has_text="평가위원 관대도").click()
    table = staff.locator("#leniency")
    lenient_row = table.locator("tr", has_text="관대한 위원")
    expect(lenient_row.locator("td").nth(1)).to_have_text("5")
    expect(lenient_row.locator("td").nth(2)).to_have_text("85.00")
    expect(lenient_row.locator("[data-calibration]")).to_have_text("평가위원회 기준으로 환산")
    expect(table.locator("[data-calibration='too_few']")).to_have_count(3)
    shot(staff, "leniency")
    assert Decimal(best_harsh.calibrated_final) > Decimal("65.00")
