"""The staff dashboard's review progress and the round page's reviewers read each round's
stored tally in one query however many assignments there are, count again only a round
changed since (three queries), and give the figures counting one by one gives."""

import pytest
from django.utils import timezone

from portal import bulk
from programs.models import EvaluationRound
from reviews import dashboard
from reviews.enums import ConflictStatus
from reviews.models import Assignment, RoundTally
from tests.factories.reviews import AssignmentFactory, ReviewerProfileFactory
from tests.reviews.helpers import client_for


def counted(evaluation_round):
    """(assigned, submitted, conflicts open) of a round, counted one by one."""
    live = Assignment.objects.filter(round=evaluation_round, released_at__isnull=True)
    counting = live.exclude(conflict=ConflictStatus.DECLARED)
    return (counting.count(), counting.filter(submitted_at__isnull=False).count(),
            live.filter(conflict=ConflictStatus.DECLARED).count())


def demo_round(code="2025-GB"):
    return EvaluationRound.objects.select_related("call").get(call__code=code)


def figures_of(rounds):
    return [(r.pk, r.call.code, r.assigned, r.submitted, r.conflicts) for r in rounds]


def expected():
    return [(r.pk, r.call.code, *counted(r))
            for r in EvaluationRound.objects.order_by("call__code", "order", "pk")]


@pytest.mark.parametrize("count", [1, 3])
def test_rounds_with_progress_reads_stored_tallies_same_figures(demo, count,
                                                                django_assert_num_queries):
    evaluation_round = demo_round()
    for _ in range(count):
        AssignmentFactory(round=evaluation_round)
    AssignmentFactory(round=evaluation_round, conflict=ConflictStatus.DECLARED,
                      conflict_reason="친척")
    AssignmentFactory(round=evaluation_round, released_at=timezone.now())

    with django_assert_num_queries(3):  # rounds; the stale rounds counted; their tallies stored
        figures = figures_of(dashboard.rounds_with_progress())
    assert figures == expected()
    assert (count, 0, 1) in [(a, s, c) for pk, _code, a, s, c in figures
                             if pk == evaluation_round.pk]
    assert RoundTally.objects.count() == EvaluationRound.objects.count()

    with django_assert_num_queries(1):  # nothing changed: the stored tallies
        assert figures_of(dashboard.rounds_with_progress()) == figures


def test_every_change_of_an_assignment_is_counted_again(demo, django_assert_num_queries):
    evaluation_round = demo_round()
    assignment = AssignmentFactory(round=evaluation_round)
    dashboard.rounds_with_progress()
    changes = [
        lambda: setattr(assignment, "submitted_at", timezone.now()) or assignment.save(),
        lambda: AssignmentFactory(round=evaluation_round, conflict=ConflictStatus.DECLARED,
                                  conflict_reason="친척"),
        lambda: setattr(assignment, "released_at", timezone.now()) or assignment.save(),
        lambda: assignment.delete(),
        lambda: bulk.insert(Assignment, [Assignment(
            round=evaluation_round, application=assignment.application,
            reviewer=ReviewerProfileFactory(), conflict=ConflictStatus.NONE)]),
    ]
    for change in changes:
        change()
        with django_assert_num_queries(3):  # the changed round only is counted again
            figures = figures_of(dashboard.rounds_with_progress())
        assert figures == expected()
        with django_assert_num_queries(1):
            assert figures_of(dashboard.rounds_with_progress()) == figures


def page_progress(client, evaluation_round):
    """{reviewer id: (assigned, submitted, conflicts)} of the round page's reviewers."""
    response = client.get(f"/manage/reviews/rounds/{evaluation_round.pk}/?reviewers=1")
    assert response.status_code == 200
    return {r.pk: (r.assigned, r.submitted, r.conflicts) for r in response.context["reviewers"]}


def counted_by_reviewer(evaluation_round):
    """The committee and every reviewer assigned in the round, counted one by one."""
    reviewers = set(evaluation_round.call.reviewers.values_list("pk", flat=True)) | set(
        Assignment.objects.filter(round=evaluation_round).values_list("reviewer_id", flat=True))
    figures = {}
    for reviewer_id in reviewers:
        live = Assignment.objects.filter(round=evaluation_round, reviewer_id=reviewer_id,
                                         released_at__isnull=True)
        counting = live.exclude(conflict=ConflictStatus.DECLARED)
        figures[reviewer_id] = (counting.count(),
                                counting.filter(submitted_at__isnull=False).count(),
                                live.filter(conflict=ConflictStatus.DECLARED).count())
    return figures


def test_round_page_reviewer_progress_follows_every_change(demo, all_roles):
    evaluation_round = demo_round()
    client = client_for(all_roles["staff"])
    committee = ReviewerProfileFactory(calls=[evaluation_round.call])  # never assigned
    busy = ReviewerProfileFactory()
    first = AssignmentFactory(round=evaluation_round, reviewer=busy)
    second = AssignmentFactory(round=evaluation_round, reviewer=busy)
    assert page_progress(client, evaluation_round) == counted_by_reviewer(evaluation_round)
    assert (page_progress(client, evaluation_round)[committee.pk],
            page_progress(client, evaluation_round)[busy.pk]) == ((0, 0, 0), (2, 0, 0))

    changes = [
        (lambda: setattr(first, "submitted_at", timezone.now()) or first.save(), (2, 1, 0)),
        (lambda: setattr(second, "conflict", ConflictStatus.DECLARED)
         or setattr(second, "conflict_reason", "친척") or second.save(), (1, 1, 1)),
        (lambda: setattr(second, "released_at", timezone.now()) or second.save(), (1, 1, 0)),
        (lambda: first.delete(), (0, 0, 0)),
        (lambda: bulk.insert(Assignment, [Assignment(
            round=evaluation_round, application=first.application, reviewer=busy,
            conflict=ConflictStatus.NONE)]), (1, 0, 0)),
    ]
    for change, figures in changes:
        change()
        progress = page_progress(client, evaluation_round)
        assert progress[busy.pk] == figures
        assert progress == counted_by_reviewer(evaluation_round)
