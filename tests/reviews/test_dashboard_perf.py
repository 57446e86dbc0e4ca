"""The staff dashboard's review progress counts every round's assignments grouped by round
alone, in two queries however many assignments there are, with the figures the join gave."""

import pytest
from django.utils import timezone

from programs.models import EvaluationRound
from reviews import dashboard, selectors
from reviews.enums import ConflictStatus
from tests.factories.reviews import AssignmentFactory


def demo_round(code="2025-GB"):
    return EvaluationRound.objects.select_related("call").get(call__code=code)


@pytest.mark.parametrize("count", [1, 3])
def test_rounds_with_progress_two_queries_same_figures(demo, count, django_assert_num_queries):
    evaluation_round = demo_round()
    for _ in range(count):
        AssignmentFactory(round=evaluation_round)
    AssignmentFactory(round=evaluation_round, conflict=ConflictStatus.DECLARED,
                      conflict_reason="친척")
    AssignmentFactory(round=evaluation_round, released_at=timezone.now())

    with django_assert_num_queries(2):
        rounds = dashboard.rounds_with_progress()
        figures = [(r.pk, r.call.code, r.assigned, r.submitted, r.conflicts) for r in rounds]

    assert figures == [(r.pk, r.call.code, r.assigned, r.submitted, r.conflicts)
                       for r in selectors.rounds_with_progress()]
    assert (count, 0, 1) in [(a, s, c) for pk, _code, a, s, c in figures
                             if pk == evaluation_round.pk]
