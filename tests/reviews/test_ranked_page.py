"""The score matrix's database ranking (``ranked_page``) gives exactly the figures and ranks of
``call_scores`` (the awards' interface), and sorts, filters and pages on the server."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from applications.models import BonusClaim
from programs.models import BonusItem
from reviews.enums import ConflictStatus
from reviews.matrix import ranked_page, score_matrix_page
from reviews.models import Assignment, Score
from reviews.selectors import call_scores
from tests.factories.applications import ApplicationFactory
from tests.factories.programs import TrackFactory
from tests.factories.reviews import EvaluationRoundFactory, ReviewerProfileFactory

pytestmark = pytest.mark.django_db


def random_round(seed, applications=24, *, tenths=False):
    """Applications on two tracks with 0 to 6 reviews of random half points (few distinct
    values, so that ties happen) — or, with ``tenths``, any points of one decimal such as 7.3
    (so that a trimmed mean of the totals is rarely a whole number of tenths) —, some reviews
    declared, released or not submitted, and verified and unverified bonus claims."""
    rng = random.Random(seed)
    evaluation_round = EvaluationRoundFactory()
    call = evaluation_round.call
    tracks = [TrackFactory(call=call, order=1), TrackFactory(call=call, order=2)]
    criteria = list(evaluation_round.criteria.order_by("order", "pk"))
    reviewers = [ReviewerProfileFactory() for _ in range(6)]
    items = [BonusItem.objects.create(call=call, code=f"b{n}", name=f"가점 {n}",
                                      points=Decimal(points))
             for n, points in enumerate(("3", "1.5"))]
    moments = [timezone.now() - timedelta(days=d) for d in (3, 2, 2)]
    scores = []
    for n in range(applications):
        application = ApplicationFactory(track=tracks[n % 2], call=call, submitted=True,
                                         submitted_at=rng.choice(moments))
        for reviewer in rng.sample(reviewers, rng.randint(0, 6)):
            kind = rng.choice(["submitted"] * 6 + ["declared", "released", "draft"])
            assignment = Assignment.objects.create(
                round=evaluation_round, application=application, reviewer=reviewer,
                conflict=ConflictStatus.DECLARED if kind == "declared" else ConflictStatus.NONE,
                conflict_reason="이해관계" if kind == "declared" else "",
                released_at=timezone.now() if kind == "released" else None,
                submitted_at=None if kind in ("draft", "declared") else timezone.now())
            level = rng.choice([0.5, 0.7, 0.7, 0.9])
            for criterion in criteria:
                if tenths:
                    scores.append(Score(assignment=assignment, criterion=criterion,
                                        points=Decimal(rng.randint(0, int(criterion.max_points)
                                                                   * 10)) / 10))
                    continue
                halves = round(int(criterion.max_points) * 2 * level) + rng.choice([0, 0, 1])
                scores.append(Score(assignment=assignment, criterion=criterion,
                                    points=Decimal(min(halves, int(criterion.max_points) * 2))
                                    / 2))
        for item in items:
            if rng.random() < 0.3:
                BonusClaim.objects.create(application=application, bonus_item=item,
                                          evidence="증빙", verified=rng.random() < 0.7)
    Score.objects.bulk_create(scores)
    return evaluation_round


@pytest.mark.parametrize(("seed", "tenths"), [(1, False), (2, False), (3, False), (4, False),
                                               (11, True), (12, True), (13, True)])
def test_ranked_page_matches_call_scores(seed, tenths):
    """Half points, and points of one decimal (a trimmed mean of three totals in tenths such
    as 70.2 + 70.2 + 70.3 is 70.2333…: 70.23, not 70.20)."""
    evaluation_round = random_round(seed, tenths=tenths)
    expected = {s.application_id: (s.rank, s.final_score, s.base_score,
                                   s.first_criterion_mean, s.bonus, s.reviewer_count)
                for s in call_scores(evaluation_round.call, evaluation_round=evaluation_round)}

    rows, matching = ranked_page(evaluation_round, limit=1000)

    assert {row.application_id: (row.rank, row.final_score, row.base_score,
                                 row.first_criterion_mean, row.bonus, row.reviewer_count)
            for row in rows if row.rank is not None} == expected
    assert matching == Assignment.objects.active().filter(round=evaluation_round).values(
        "application_id").distinct().count()


def test_ranked_page_orders_filters_and_pages():
    evaluation_round = random_round(7, applications=12)
    scores = call_scores(evaluation_round.call, evaluation_round=evaluation_round)
    track = evaluation_round.call.tracks.get(order=2)
    in_track = [s.application_id for s in scores if s.track_id == track.pk]

    first, matching = ranked_page(evaluation_round, track_id=track.pk, limit=2)
    rest, _ = ranked_page(evaluation_round, track_id=track.pk, offset=2, limit=100)

    assert [row.application_id for row in first + rest][:len(in_track)] == in_track
    assert (len(first), matching) == (2, len(first) + len(rest))


def test_score_matrix_page_rows_have_the_ranking_figures():
    evaluation_round = random_round(5, applications=10)
    by_id = {s.application_id: s for s in call_scores(evaluation_round.call,
                                                        evaluation_round=evaluation_round)}

    matrix = score_matrix_page(evaluation_round, per_page=4)

    assert [row.score for row in matrix.rows if row.score] == [
        by_id[row.application.pk] for row in matrix.rows if row.score]
    assert (len(matrix.rows), matrix.page.number) == (4, 1)
