"""The score matrix reads the round's stored standing (``reviews.matrix.fresh_standing``): its
rows are exactly the database ranking and the calibrated advice, and every change of what they
are computed from makes the next read rank the round again."""

from decimal import Decimal

import pytest

from applications.enums import ApplicationStatus
from applications.services import verify_bonus_claim
from reviews import services
from reviews.calibration import round_fairness
from reviews.matrix import ranked_page, score_matrix_page
from reviews.models import Assignment, RoundRevision, Standing, StandingRow
from tests.factories.applications import BonusClaimFactory
from tests.factories.portal import UserFactory
from tests.factories.reviews import ReviewerProfileFactory
from tests.reviews.helpers import matrix_setup, reviewable_application

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def programmes(all_roles):  # the demo programmes, whose rounds the matrix is set up in
    return all_roles


def page_figures(evaluation_round):
    matrix = score_matrix_page(evaluation_round)
    return [(row.application.pk, row.score.final_score if row.score else None,
             row.score.rank if row.score else None,
             row.advice.calibrated_final if row.advice else None,
             row.advice.calibrated_rank if row.advice else None) for row in matrix.rows]


def computed_figures(evaluation_round):
    ranked, _matching = ranked_page(evaluation_round)
    advice = round_fairness(evaluation_round).applications
    return [(row.application_id, row.final_score, row.rank,
             advice[row.application_id].calibrated_final if row.application_id in advice
             else None,
             advice[row.application_id].calibrated_rank if row.application_id in advice
             else None) for row in ranked]


def test_standing_rows_are_the_ranking_and_the_advice():
    evaluation_round, applications = matrix_setup(3)

    figures = page_figures(evaluation_round)

    assert figures == computed_figures(evaluation_round)
    assert [(pk, final, rank) for pk, final, rank, _c, _r in figures] == [
        (applications[0].pk, D("75.00"), 1), (applications[1].pk, D("74.00"), 2),
        (applications[2].pk, D("73.00"), 3)]
    assert (Standing.objects.get(round=evaluation_round).revision,
            StandingRow.objects.filter(round=evaluation_round).count()) == (
        RoundRevision.objects.get(round=evaluation_round).value, 3)


def test_standing_kept_while_nothing_changes():
    evaluation_round, _applications = matrix_setup(2)
    page_figures(evaluation_round)
    stored = list(StandingRow.objects.filter(round=evaluation_round).values_list("pk", flat=True))

    page_figures(evaluation_round)

    assert list(StandingRow.objects.filter(round=evaluation_round)
                .values_list("pk", flat=True)) == stored


def test_standing_follows_a_reopened_review():
    evaluation_round, applications = matrix_setup(2)
    page_figures(evaluation_round)
    staff = UserFactory(is_staff=True)
    assignment = Assignment.objects.filter(application=applications[0]).order_by("pk").first()

    services.reopen_review(assignment, actor=staff, reason="점수 재검토")

    figures = page_figures(evaluation_round)
    assert figures == computed_figures(evaluation_round)
    # 72.5 of the two reviews left beside 74.00 of the second application: it now leads.
    assert [(pk, final, rank) for pk, final, rank, _c, _r in figures] == [
        (applications[1].pk, D("74.00"), 1), (applications[0].pk, D("72.50"), 2)]


def test_standing_follows_a_released_assignment():
    evaluation_round, applications = matrix_setup(2)
    page_figures(evaluation_round)
    staff = UserFactory(is_staff=True)
    assignment = Assignment.objects.filter(application=applications[0]).order_by("pk").first()
    services.reopen_review(assignment, actor=staff, reason="위원 교체")

    services.release_assignment(Assignment.objects.get(pk=assignment.pk), actor=staff)

    assert page_figures(evaluation_round) == computed_figures(evaluation_round)
    assert page_figures(evaluation_round)[1][:3] == (applications[0].pk, D("72.50"), 2)


def test_standing_follows_a_verified_bonus():
    evaluation_round, applications = matrix_setup(2)
    claim = BonusClaimFactory(application=applications[1])
    page_figures(evaluation_round)

    verify_bonus_claim(claim, verified=True, user=UserFactory(is_staff=True))

    figures = page_figures(evaluation_round)
    assert figures == computed_figures(evaluation_round)
    assert [(pk, final, rank) for pk, final, rank, _c, _r in figures] == [
        (applications[1].pk, D("77.00"), 1), (applications[0].pk, D("75.00"), 2)]


def test_standing_follows_an_automatic_assignment():
    evaluation_round, applications = matrix_setup(1)
    page_figures(evaluation_round)
    newcomer = reviewable_application(evaluation_round, status=ApplicationStatus.ELIGIBLE)
    for _ in range(3):
        ReviewerProfileFactory(calls=[evaluation_round.call])

    result = services.auto_assign(evaluation_round, per_application=3,
                                  actor=UserFactory(is_staff=True))

    assert len([a for a in result.created if a.application_id == newcomer.pk]) == 3
    # The newcomer is in the round now, without a score: listed after the ranked one.
    assert page_figures(evaluation_round) == [
        (applications[0].pk, D("75.00"), 1, D("75.00"), 1), (newcomer.pk, None, None, None, None)]
