"""The staff lists of applications cost the same at 100 and 10,000 applications: a bounded
page read along the index application_call_receipt, not every application sorted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.admin import ApplicationAdmin
from tests.factories.applications import ApplicationFactory
from tests.factories.programs import TrackFactory

pytestmark = pytest.mark.django_db


def page_query(queries):
    [query] = [q["sql"] for q in queries.captured_queries
               if q["sql"].startswith('SELECT "applications_application"."id"')]
    return query


def test_admin_changelist_page_is_bounded_and_sorted_by_the_index(superuser_client, monkeypatch):
    assert ApplicationAdmin.list_per_page == 50
    monkeypatch.setattr(ApplicationAdmin, "list_per_page", 2)
    track = TrackFactory()
    for _ in range(3):
        ApplicationFactory(track=track, call=track.call, submitted=True)

    with CaptureQueriesContext(connection) as queries:
        response = superuser_client.get("/admin/applications/application/")

    assert len(response.context["cl"].result_list) == 2
    query = page_query(queries)
    assert 'ORDER BY "applications_application"."call_id" ASC, ' \
           '"applications_application"."receipt_number" ASC' in query
    assert "programs_programme" not in query


def test_staff_list_page_is_bounded_and_sorted_by_the_index(superuser_client, monkeypatch):
    from applications.views.staff import OperatorApplicationListView

    assert OperatorApplicationListView.paginate_by == 50
    monkeypatch.setattr(OperatorApplicationListView, "paginate_by", 2)
    track = TrackFactory()
    for _ in range(3):
        ApplicationFactory(track=track, call=track.call, submitted=True)

    with CaptureQueriesContext(connection) as queries:
        response = superuser_client.get("/operator/applications/")

    assert len(response.context["applications"]) == 2
    query = page_query(queries)
    assert 'ORDER BY "applications_application"."call_id" ASC, ' \
           '"applications_application"."receipt_number" ASC' in query
    assert '"programs_call"."code" ASC' not in query.split("ORDER BY")[1]


def test_status_label_is_the_status_display_in_both_languages():
    from django.utils import translation

    from applications.enums import ApplicationStatus
    from applications.models import Application

    for language in ("ko", "en"):
        with translation.override(language):
            for status in ApplicationStatus.values:
                application = Application(status=status)
                assert str(application.status_label) == application.get_status_display()
