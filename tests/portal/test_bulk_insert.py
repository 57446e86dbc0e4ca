"""``portal.bulk.insert`` stores JSON values as the field would, empty ones included (COPY
writes an empty list or object as its text without running the encoder)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alerts.models import SavedSearch
from portal import bulk
from settlement.models import Inspection
from tests.factories.portal import UserFactory

pytestmark = pytest.mark.django_db


def test_json_values_empty_and_full_are_stored_as_given():
    user = UserFactory()
    values = [{}, {"region": "JB", "q": "공정 \"스마트\""}, {"nested": {"list": [1, 2.5, None]}}]
    with CaptureQueriesContext(connection) as queries:
        bulk.insert(SavedSearch, [SavedSearch(user=user, name=f"알림 {n}", filters=value)
                                  for n, value in enumerate(values)])
    assert len(queries) == 1  # one COPY (PostgreSQL) or one INSERT (elsewhere)
    assert [s.filters for s in SavedSearch.objects.order_by("name")] == values


def test_an_empty_json_list_is_a_list():
    assert [field.name for field in Inspection._meta.concrete_fields
            if field.get_internal_type() == "JSONField"] == ["checklist"]
    assert bulk._value(Inspection._meta.get_field("checklist"), [], True, True) == "[]"
    assert bulk._value(SavedSearch._meta.get_field("filters"), {}, True, True) == "{}"
