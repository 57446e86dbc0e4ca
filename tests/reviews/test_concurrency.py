"""Two staff running automatic assignment at the same moment must not double-assign.

The service locks the round's row and then the applications (``select_for_update``): on
PostgreSQL the second run waits for the first to commit and then finds every application
complete. SQLite has no row locks; it refuses a second concurrent writer outright ("database is
locked"), and the worker tries again, as a staff member would, once the first has finished.
Either way the result must be exactly n reviewers per application and no duplicate row.
"""

from collections import Counter
from functools import partial

import pytest

from applications.enums import ApplicationStatus
from reviews import services
from reviews.models import Assignment
from tests.concurrency import run_concurrently
from tests.factories.applications import ApplicationFactory, BusinessPlanFactory
from tests.factories.portal import UserFactory
from tests.factories.programs import TrackFactory
from tests.factories.reviews import EvaluationRoundFactory, ReviewerProfileFactory


@pytest.mark.django_db(transaction=True)
def test_auto_assign_run_by_two_staff_at_once_assigns_each_application_n_times():
    evaluation_round = EvaluationRoundFactory()
    applications = []
    for _ in range(6):
        application = ApplicationFactory(track=TrackFactory(call=evaluation_round.call),
                                         submitted=True, status=ApplicationStatus.ELIGIBLE)
        BusinessPlanFactory(application=application)
        applications.append(application)
    for _ in range(5):
        ReviewerProfileFactory(calls=[evaluation_round.call])
    staff = [UserFactory(is_staff=True), UserFactory(is_staff=True)]

    outcomes, errors = run_concurrently([
        partial(services.auto_assign, evaluation_round, per_application=3, actor=actor)
        for actor in staff])

    assert errors == []
    assert sorted(len(result.created) for result in outcomes) == [0, 18]
    per_application = Counter(Assignment.objects.values_list("application_id", flat=True))
    assert per_application == Counter({a.pk: 3 for a in applications})
    pairs = list(Assignment.objects.values_list("application_id", "reviewer_id"))
    assert len(pairs) == len(set(pairs)) == 18
