"""The admin changelists of applications, reviews and result lines run the same number of
queries for one row as for several (each row's track, run and call are read with the page),
and a run's stored inputs are never read for a list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.enums import RunStatus
from tests.factories.applications import ApplicationFactory
from tests.factories.awards import AwardRunFactory, ResultLineFactory
from tests.factories.programs import TrackFactory
from tests.factories.reviews import AssignmentFactory

pytestmark = pytest.mark.django_db


def many_inputs():
    return {"candidates": [{"application_id": n, "rules": "x" * 50} for n in range(2000)]}


@pytest.mark.parametrize("count", [1, 3])
def test_application_changelist_queries_constant(superuser_client, django_assert_num_queries,
                                                 count):
    for _ in range(count):
        ApplicationFactory(track=TrackFactory(), submitted=True)
    # session, user, two-factor check; the count; the page's rows; the filters' calls, tracks
    # with their calls, regions (no full count, no date hierarchy: both read every application)
    with django_assert_num_queries(7):
        response = superuser_client.get("/admin/applications/application/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == count


@pytest.mark.parametrize("count", [1, 3])
def test_assignment_changelist_queries_constant(superuser_client, django_assert_num_queries,
                                                count):
    for _ in range(count):
        AssignmentFactory()
    # session, user, two-factor check; the count (no full count: show_full_result_count is
    # off); the page's rows; the filter's calls
    with django_assert_num_queries(5):
        response = superuser_client.get("/admin/reviews/assignment/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == count


@pytest.mark.parametrize("count", [1, 3])
def test_result_line_changelist_queries_constant(superuser_client, django_assert_num_queries,
                                                 count):
    for _ in range(count):
        run = AwardRunFactory(status=RunStatus.PREVIEW, inputs_hash="x", inputs=many_inputs())
        ResultLineFactory(run=run, track=TrackFactory(call=run.call))
    # session, user, two-factor check; the count (no full count); the page's rows; the runs
    # with their calls
    with django_assert_num_queries(6):
        response = superuser_client.get("/admin/awards/resultline/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == count


def test_result_line_changelist_reads_no_run_inputs(superuser_client):
    run = AwardRunFactory(status=RunStatus.PREVIEW, inputs_hash="x", inputs=many_inputs())
    ResultLineFactory(run=run)
    with CaptureQueriesContext(connection) as queries:
        superuser_client.get("/admin/awards/resultline/")
    assert [q["sql"] for q in queries.captured_queries if '"inputs"' in q["sql"]] == []


def test_run_changelist_reads_no_inputs_but_the_run_page_does(superuser_client):
    run = AwardRunFactory(status=RunStatus.PREVIEW, inputs_hash="x", inputs=many_inputs())
    with CaptureQueriesContext(connection) as queries:
        superuser_client.get("/admin/awards/awardrun/")
    assert [q["sql"] for q in queries.captured_queries if '"inputs"' in q["sql"]] == []
    response = superuser_client.get(f"/admin/awards/awardrun/{run.pk}/change/")
    assert response.status_code == 200
    assert response.context["original"].inputs == many_inputs()


def test_admin_changelists_page_size_bounded(superuser_client):
    ApplicationFactory.create_batch(3, track=TrackFactory(), submitted=True)
    from applications.admin import ApplicationAdmin
    from awards.admin import ResultLineAdmin
    from reviews.admin import AssignmentAdmin

    assert [ApplicationAdmin.list_per_page, AssignmentAdmin.list_per_page,
            ResultLineAdmin.list_per_page] == [50, 50, 50]
    response = superuser_client.get("/admin/applications/application/")
    assert response.context["cl"].list_per_page == 50


def test_result_line_changelist_page_is_read_along_the_run_position_index(superuser_client):
    run = AwardRunFactory(status=RunStatus.PREVIEW, inputs_hash="x")
    ResultLineFactory(run=run, track=TrackFactory(call=run.call))
    with CaptureQueriesContext(connection) as queries:
        superuser_client.get("/admin/awards/resultline/")
    [page] = [q["sql"] for q in queries.captured_queries
              if q["sql"].startswith('SELECT "awards_resultline"."id"')]
    assert page.split("ORDER BY")[1].split("LIMIT")[0].strip() == (
        '"awards_resultline"."run_id" ASC, "awards_resultline"."position" ASC')
