"""Issue 14 item 9: the first-criterion tie-break compares exact means, not means rounded to two
decimals (rule version 2025.2), in ``call_scores`` and in the matrix's database ranking."""

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from awards.allocation import RULE_VERSION
from reviews import scoring
from reviews.matrix import ranked_page
from reviews.selectors import call_scores
from tests.factories.applications import ApplicationFactory
from tests.factories.programs import TrackFactory
from tests.factories.reviews import EvaluationRoundFactory, submitted_review

pytestmark = pytest.mark.django_db
D = Decimal


def test_exact_mean_keeps_every_digit():
    assert scoring.exact_mean([D("20"), D("20.5"), D("21")]) == Fraction(41, 2)
    assert scoring.exact_mean([D(20)] * 5 + [D(21)] * 4) == Fraction(184, 9)


@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=40))
def test_exact_mean_is_the_mean_of_the_points_as_fractions(tenths):
    points = [Decimal(value) / 10 for value in tenths]  # points of one decimal, 0.0–100.0

    assert scoring.exact_mean(points) == Fraction(sum(tenths), 10 * len(tenths))


def test_ranking_key_orders_means_that_round_alike():
    earlier = timezone.now() - timedelta(days=1)
    nine = scoring.ranking_key(D(80), D(80), Fraction(184, 9), timezone.now())
    eight = scoring.ranking_key(D(80), D(80), Fraction(327, 16), earlier)
    assert scoring.round_half_up(D(184) / D(9)) == scoring.round_half_up(D("20.4375"))
    assert sorted([eight, nine]) == [nine, eight]


@pytest.fixture
def tied_pair():
    """Two applications equal on final and base score (80.00): nine reviewers whose first
    criterion averages 184/9 = 20.444…, submitted later, and eight whose first criterion
    averages 20.4375, submitted earlier. Both means read 20.44."""
    evaluation_round = EvaluationRoundFactory()
    track = TrackFactory(call=evaluation_round.call, order=1)
    now = timezone.now()
    higher = ApplicationFactory(track=track, call=track.call, submitted=True, submitted_at=now)
    lower = ApplicationFactory(track=track, call=track.call, submitted=True,
                               submitted_at=now - timedelta(hours=1))
    for first in [20] * 5 + [21] * 4:
        submitted_review(higher, evaluation_round, 80, first=first)
    for first in ["20.5"] * 7 + ["20"]:
        submitted_review(lower, evaluation_round, 80, first=D(first))
    return evaluation_round, higher, lower


def test_call_scores_tie_break_compares_exact_first_criterion_means(tied_pair):
    evaluation_round, higher, lower = tied_pair

    scores = call_scores(evaluation_round.call)

    assert [(s.application_id, s.final_score, s.base_score, s.first_criterion_mean, s.rank)
            for s in scores] == [
        (higher.pk, D("80.00"), D("80.00"), D("20.44"), 1),
        (lower.pk, D("80.00"), D("80.00"), D("20.44"), 2),
    ]
    assert [s.first_criterion_exact for s in scores] == [Fraction(184, 9), Fraction(327, 16)]


def test_ranked_page_tie_break_compares_exact_first_criterion_means(tied_pair):
    evaluation_round, higher, lower = tied_pair

    rows, matching = ranked_page(evaluation_round)

    assert matching == 2
    assert [(r.application_id, r.first_criterion_mean, r.rank) for r in rows] == [
        (higher.pk, D("20.44"), 1), (lower.pk, D("20.44"), 2)]


def test_equal_exact_means_still_fall_to_the_earlier_submission():
    evaluation_round = EvaluationRoundFactory()
    track = TrackFactory(call=evaluation_round.call, order=1)
    now = timezone.now()
    later = ApplicationFactory(track=track, call=track.call, submitted=True, submitted_at=now)
    earlier = ApplicationFactory(track=track, call=track.call, submitted=True,
                                 submitted_at=now - timedelta(hours=1))
    for first in (20, 21):  # 20.5 from two reviewers
        submitted_review(later, evaluation_round, 80, first=first)
    for first in (20, 21, 20, 21):  # 20.5 from four
        submitted_review(earlier, evaluation_round, 80, first=first)

    assert [(s.application_id, s.rank) for s in call_scores(evaluation_round.call)] == [
        (earlier.pk, 1), (later.pk, 2)]
    assert [(r.application_id, r.rank) for r in ranked_page(evaluation_round)[0]] == [
        (earlier.pk, 1), (later.pk, 2)]


def test_rule_version_names_the_exact_tie_break():
    assert RULE_VERSION == "2025.2"
