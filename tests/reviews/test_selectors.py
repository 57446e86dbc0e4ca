from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from applications.enums import ApplicationStatus
from reviews.enums import ConflictStatus
from reviews.selectors import ApplicationScore, call_scores
from tests.factories.applications import ApplicationFactory
from tests.factories.programs import TrackFactory
from tests.factories.reviews import EvaluationRoundFactory, submitted_review

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def evaluation_round():
    return EvaluationRoundFactory()


@pytest.fixture
def track(evaluation_round):
    return TrackFactory(call=evaluation_round.call, order=1)


def make_application(track, **fields):
    return ApplicationFactory(track=track, call=track.call, submitted=True, **fields)


def review_all(application, evaluation_round, totals, firsts=None):
    for index, total in enumerate(totals):
        first = firsts[index] if firsts else None
        submitted_review(application, evaluation_round, total, first=first)


def claim(application, code, points, verified):
    from applications.models import BonusClaim
    from programs.models import BonusItem

    item, _ = BonusItem.objects.get_or_create(call=application.call, code=code,
                                              defaults={"name": code, "points": D(points)})
    return BonusClaim.objects.create(application=application, bonus_item=item,
                                     evidence="증빙", verified=verified)


def test_call_scores_three_reviewers_plain_mean(evaluation_round, track):
    application = make_application(track)
    review_all(application, evaluation_round, [80, 75, 71], firsts=[28, 25, 21])

    [score] = call_scores(track.call)

    assert score == ApplicationScore(
        application_id=application.pk, track_id=track.pk, reviewer_count=3,
        totals=(D(71), D(75), D(80)), base_score=D("75.33"), bonus=D(0),
        final_score=D("75.33"), first_criterion_mean=D("24.67"),
        submitted_at=application.submitted_at, rank=1, above_cutoff=True)


def test_call_scores_five_reviewers_trimmed_mean(evaluation_round, track):
    application = make_application(track)
    review_all(application, evaluation_round, [92, "55.5", 78, "81.5", 70],
               firsts=[30, 20, 25, 28, 22])

    [score] = call_scores(track.call)

    # (70 + 78 + 81.5) / 3 = 76.5; the first criterion's mean takes all five: 125 / 5.
    assert (score.reviewer_count, score.totals, score.base_score, score.final_score,
            score.first_criterion_mean) == (
        5, (D("55.5"), D(70), D(78), D("81.5"), D(92)), D("76.50"), D("76.50"), D("25.00"))


def test_call_scores_four_reviewers_round_half_up(evaluation_round, track):
    application = make_application(track)
    review_all(application, evaluation_round, [70, 70, 70, "70.5"])

    [score] = call_scores(track.call)

    assert (score.base_score, score.final_score) == (D("70.13"), D("70.13"))


def test_call_scores_add_only_verified_bonus(evaluation_round, track):
    application = make_application(track)
    review_all(application, evaluation_round, [80, 75, 71])
    claim(application, "exporter", 3, True)
    claim(application, "first-time", 3, True)
    claim(application, "regulation", 3, None)
    claim(application, "smart-haccp", 3, False)

    [score] = call_scores(track.call)

    assert (score.base_score, score.bonus, score.final_score) == (D("75.33"), D(6), D("81.33"))


def test_call_scores_cutoff_at_exactly_seventy_is_above(evaluation_round, track):
    application = make_application(track)
    review_all(application, evaluation_round, [70, 70, 70])

    [score] = call_scores(track.call)

    assert (track.call.cutoff_score, score.final_score, score.above_cutoff) == (
        D("70.00"), D("70.00"), True)


def test_call_scores_cutoff_below_seventy_is_not_above(evaluation_round, track):
    application = make_application(track)
    review_all(application, evaluation_round, [70, 70, "69.5"])

    [score] = call_scores(track.call)

    assert (score.final_score, score.above_cutoff) == (D("69.83"), False)


def test_call_scores_cutoff_one_hundredth_above_the_score_is_not_above(evaluation_round, track):
    call = track.call
    call.cutoff_score = D("70.01")
    call.save()
    application = make_application(track)
    review_all(application, evaluation_round, [70, 70, 70])

    [score] = call_scores(call)

    assert (score.final_score, score.above_cutoff) == (D("70.00"), False)


def test_call_scores_bonus_lifts_over_the_cutoff(evaluation_round, track):
    application = make_application(track)
    review_all(application, evaluation_round, [68, 67, 66])
    claim(application, "exporter", 3, True)

    [score] = call_scores(track.call)

    assert (score.base_score, score.final_score, score.above_cutoff) == (D("67.00"), D("70.00"),
                                                                         True)


def test_call_scores_tie_on_final_broken_by_base_score(evaluation_round, track):
    with_bonus = make_application(track)
    review_all(with_bonus, evaluation_round, [77, 77, 77])
    claim(with_bonus, "exporter", 3, True)
    without_bonus = make_application(track)
    review_all(without_bonus, evaluation_round, [80, 80, 80])

    scores = call_scores(track.call)

    assert [(s.application_id, s.final_score, s.base_score, s.rank) for s in scores] == [
        (without_bonus.pk, D("80.00"), D("80.00"), 1),
        (with_bonus.pk, D("80.00"), D("77.00"), 2),
    ]


def test_call_scores_tie_on_base_broken_by_first_criterion_mean(evaluation_round, track):
    lower_first = make_application(track)
    review_all(lower_first, evaluation_round, [80, 80, 80], firsts=[25, 25, 26])
    higher_first = make_application(track)
    review_all(higher_first, evaluation_round, [80, 80, 80], firsts=[28, 27, 26])

    scores = call_scores(track.call)

    assert [(s.application_id, s.first_criterion_mean, s.rank) for s in scores] == [
        (higher_first.pk, D("27.00"), 1),
        (lower_first.pk, D("25.33"), 2),
    ]


def test_call_scores_full_tie_broken_by_earlier_submission(evaluation_round, track):
    now = timezone.now()
    later = make_application(track, submitted_at=now)
    review_all(later, evaluation_round, [80, 80, 80], firsts=[25, 25, 25])
    earlier = make_application(track, submitted_at=now - timedelta(minutes=1))
    review_all(earlier, evaluation_round, [80, 80, 80], firsts=[25, 25, 25])

    scores = call_scores(track.call)

    assert [(s.application_id, s.rank) for s in scores] == [(earlier.pk, 1), (later.pk, 2)]


def test_call_scores_identical_applications_share_a_rank(evaluation_round, track):
    now = timezone.now()
    first = make_application(track, submitted_at=now)
    second = make_application(track, submitted_at=now)
    third = make_application(track, submitted_at=now)
    for application, total in ((first, 80), (second, 80), (third, 70)):
        review_all(application, evaluation_round, [total, total, total], firsts=[25, 25, 25])

    scores = call_scores(track.call)

    assert [(s.application_id, s.rank) for s in scores] == [
        (first.pk, 1), (second.pk, 1), (third.pk, 3)]


def test_call_scores_rank_within_each_track_in_track_order(evaluation_round, track):
    second_track = TrackFactory(call=track.call, order=0, name="고도화")
    low = make_application(track)
    review_all(low, evaluation_round, [60, 60, 60])
    high = make_application(track)
    review_all(high, evaluation_round, [90, 90, 90])
    other = make_application(second_track)
    review_all(other, evaluation_round, [50, 50, 50])

    scores = call_scores(track.call)

    assert [(s.application_id, s.track_id, s.rank, s.above_cutoff) for s in scores] == [
        (other.pk, second_track.pk, 1, False),
        (high.pk, track.pk, 1, True),
        (low.pk, track.pk, 2, False),
    ]


def test_call_scores_count_only_submitted_counted_reviews(evaluation_round, track):
    application = make_application(track)
    review_all(application, evaluation_round, [80, 70])
    submitted_review(application, evaluation_round, 10, submitted=False)
    submitted_review(application, evaluation_round, 20, submitted=False,
                     conflict=ConflictStatus.DECLARED, conflict_reason="친족")
    submitted_review(application, evaluation_round, 30, released_at=timezone.now())
    unscored = make_application(track)
    submitted_review(unscored, evaluation_round, 50, submitted=False)

    scores = call_scores(track.call)

    assert [(s.application_id, s.totals, s.final_score) for s in scores] == [
        (application.pk, (D(70), D(80)), D("75.00"))]


def test_call_scores_filter_by_status(evaluation_round, track):
    scored = make_application(track)
    review_all(scored, evaluation_round, [60, 60, 60])
    scored.status = ApplicationStatus.SCORED
    scored.save()
    under_review = make_application(track, status=ApplicationStatus.UNDER_REVIEW)
    review_all(under_review, evaluation_round, [90, 90, 90])

    scores = call_scores(track.call, statuses=[ApplicationStatus.SCORED])

    assert [(s.application_id, s.rank) for s in scores] == [(scored.pk, 1)]


def test_call_scores_ignore_other_calls(evaluation_round, track):
    other_round = EvaluationRoundFactory()
    other = make_application(TrackFactory(call=other_round.call))
    review_all(other, other_round, [80, 80, 80])

    assert call_scores(track.call) == []


def test_call_scores_of_a_call_without_rounds_is_empty(track):
    from tests.factories.programs import CallFactory

    assert call_scores(CallFactory()) == []


@pytest.mark.parametrize("count", [1, 4])
def test_call_scores_query_count_is_constant(evaluation_round, track, count,
                                              django_assert_num_queries):
    for _ in range(count):
        application = make_application(track)
        review_all(application, evaluation_round, [80, 70, 75])
        claim(application, "exporter", 3, True)

    # the round, its reviews' totals (the first criterion read in the same query), the
    # applications' facts, the bonus points
    with django_assert_num_queries(4):
        scores = call_scores(track.call)

    assert len(scores) == count
