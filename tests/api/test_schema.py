"""The OpenAPI schema validates, and every endpoint in it answers as it documents (schemathesis
against the WSGI application on the demo data, plus a few public results)."""

import json

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from openapi_spec_validator import validate
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi_3(db):
    schema = json.loads(Client().get("/api/v1/schema/?format=json").content)
    validate(schema)
    assert (schema["openapi"], schema["info"]["version"]) == ("3.0.3", "1.0.0 (v1)")
    assert sorted(schema["paths"]) == [
        "/api/v1/announcements/", "/api/v1/announcements/{id}/", "/api/v1/calls/",
        "/api/v1/calls/{id}/", "/api/v1/programmes/", "/api/v1/programmes/{id}/",
        "/api/v1/results/", "/api/v1/results/{id}/", "/api/v1/suppliers/",
        "/api/v1/suppliers/{id}/"]
    methods = {method for path in schema["paths"].values() for method in path}
    assert methods == {"get"}


def test_every_endpoint_answers_as_documented(demo, settings):
    """Each operation of the schema, with generated parameters: no server error, and every
    answer's status, content type, headers and body as documented."""
    settings.API_RATE_LIMIT = "1000000/m"
    settings.API_CACHE_SECONDS = 0
    # The WSGI application itself (portal.wsgi adds the production start-up refusals, which
    # the test settings — DEBUG off, in-memory email — would trip).
    application = get_wsgi_application()

    # As Django's test client does: a request must not close the test's connection (whose
    # transaction holds the demo data).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        checked = check_every_operation(application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert len(checked) == 10


def check_every_operation(application):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @hypothesis.given(case=operation.as_strategy())
        @hypothesis.settings(max_examples=25, deadline=None, derandomize=True,
                             database=None, suppress_health_check=list(hypothesis.HealthCheck))
        def answers_as_documented(case):
            # A filter value that the schema types as a string but the data does not hold (a
            # region code, a sector) is refused with the documented 400: only that check of
            # "a valid request is accepted" is left out.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        answers_as_documented()
        checked.append(operation.label)
    return checked


def test_generating_the_schema_leaves_the_announcement_lists_sector_filter_working(demo):
    assert Client().get("/api/v1/schema/?format=json").status_code == 200
    response = Client().get("/announcements/?sector=농생명바이오")
    assert [a.call.code for a in response.context["announcements"]] == ["2025-JB"]
