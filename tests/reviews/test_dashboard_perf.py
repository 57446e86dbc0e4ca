"""The staff dashboard's review progress counts every round's assignments grouped by round
alone, in two queries however many assignments there are, with the figures the join gave."""

import pytest
from django.utils import timezone

from programs.models import EvaluationRound
from reviews import dashboard
from reviews.enums import ConflictStatus
from reviews.models import Assignment
from tests.factories.reviews import AssignmentFactory


def counted(evaluation_round):
    """(assigned, submitted, conflicts open) of a round, counted one by one."""
    live = Assignment.objects.filter(round=evaluation_round, released_at__isnull=True)
    counting = live.exclude(conflict=ConflictStatus.DECLARED)
    return (counting.count(), counting.filter(submitted_at__isnull=False).count(),
            live.filter(conflict=ConflictStatus.DECLARED).count())


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

    assert figures == [(r.pk, r.call.code, *counted(r))
                       for r in EvaluationRound.objects.order_by("call__code", "order", "pk")]
    assert (count, 0, 1) in [(a, s, c) for pk, _code, a, s, c in figures
                             if pk == evaluation_round.pk]
