"""Two staff running automatic assignment at the same moment must not double-assign.

The service locks the round's row and then the applications (``select_for_update``): on
PostgreSQL the second run waits for the first to commit and then finds every application
complete. SQLite has no row locks; it refuses a second concurrent writer outright ("database is
locked"), and the worker tries again, as a staff member would, once the first has finished.
Either way the result must be exactly n reviewers per application and no duplicate row.
"""

import threading
import time
from collections import Counter
from functools import partial

import pytest
from django.db import OperationalError, close_old_connections, connection

from applications.enums import ApplicationStatus
from reviews import services
from reviews.models import Assignment
from tests.factories.applications import ApplicationFactory, BusinessPlanFactory
from tests.factories.portal import UserFactory
from tests.factories.programs import TrackFactory
from tests.factories.reviews import EvaluationRoundFactory, ReviewerProfileFactory


def run_concurrently(targets):
    """Start every callable at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(targets))
    outcomes, errors = [], []

    def worker(target):
        close_old_connections()
        try:
            barrier.wait()
            for attempt in range(50):
                try:
                    outcomes.append(target())
                    return
                except OperationalError:  # SQLite: the other writer holds the database
                    if connection.vendor == "postgresql":
                        raise
                    time.sleep(0.05 * (attempt + 1))
            raise AssertionError("the database stayed locked")
        except Exception as error:  # noqa: BLE001 (reported by the test)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes, errors


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
