"""The public and manage pages run the same number of queries for 1 and for 50 items."""

import pytest
from django.test import Client

from programs import services
from programs.enums import FundingSource
from programs.models import Call, Event, FundingShare, LinkedProgramme
from tests.factories.programs import (
    AnnouncementFactory,
    BudgetLineFactory,
    CallFactory,
    TrackFactory,
)
from tests.programs.files import pdf_bytes, upload

pytestmark = pytest.mark.django_db


def announcements(count):
    """``count`` published announcements, each on its own call, region and programme."""
    return [AnnouncementFactory() for _ in range(count)]


def rich_call(size):
    """A call with ``size`` tracks (each with three shares), linked programmes and events,
    three budget lines, and a published announcement with ``size`` attachments."""
    call = CallFactory()
    for source in FundingSource.values:
        BudgetLineFactory(call=call, source=source)
    for order in range(1, size + 1):
        track = TrackFactory(call=call, order=order)
        for source in FundingSource.values:
            FundingShare.objects.create(track=track, source=source, rate="0.1")
        LinkedProgramme.objects.create(call=call, name=f"연계 {order}", order=order)
        Event.objects.create(call=call, title=f"설명회 {order}", starts_at=call.opens_at)
    announcement = AnnouncementFactory(call=call)
    for n in range(size):
        services.add_attachment(announcement, upload(f"{n}.pdf", pdf_bytes()),
                                "application/pdf")
    return announcement


@pytest.mark.parametrize("count", [1, 50])
def test_announcement_list_queries_constant(db, django_assert_num_queries, count):
    announcements(count)
    client = Client()
    # region, sector and programme choices; count; page of announcements with their calls
    with django_assert_num_queries(5):
        response = client.get("/announcements/")
    assert len(response.context["announcements"]) == min(count, 20)


@pytest.mark.parametrize("count", [1, 50])
def test_announcement_list_filtered_queries_constant(db, django_assert_num_queries, count):
    created = announcements(count)
    region = created[0].call.region.code
    client = Client()
    # as above: the region and sector are checked against the choices the form lists (each
    # read once), not looked up again
    with django_assert_num_queries(5):
        response = client.get(f"/announcements/?region={region}&sector=식품제조업"
                              "&status=open&q=공고")
    assert len(response.context["announcements"]) == 1


@pytest.mark.parametrize("count", [1, 50])
def test_home_page_queries_constant(db, django_assert_num_queries, count):
    announcements(count)
    with django_assert_num_queries(1):
        response = Client().get("/")
    assert len(response.context["announcements"]) == min(count, 6)


@pytest.mark.parametrize("size", [1, 50])
def test_announcement_detail_queries_constant(db, django_assert_num_queries, size):
    announcement = rich_call(size)
    client = Client()
    # announcement with call, region, programme; tracks; shares; budget lines;
    # linked programmes; events; attachments
    with django_assert_num_queries(7):
        response = client.get(f"/announcements/{announcement.pk}/")
    assert len(response.context["tracks"]) == size


@pytest.mark.parametrize("size", [1, 50])
def test_announcement_preview_queries_constant(db, django_assert_num_queries, size,
                                               role_users):
    announcement = rich_call(size)
    client = Client()
    client.force_login(role_users["staff"])
    with django_assert_num_queries(10):
        response = client.get(f"/manage/announcements/{announcement.pk}/preview/")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 50])
def test_feed_queries_constant(db, django_assert_num_queries, count):
    announcements(count)
    # site; announcements with their calls; published results (settings.FEED_SOURCES)
    with django_assert_num_queries(3):
        response = Client().get("/announcements/feed/")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 40])
def test_manage_list_queries_constant(db, django_assert_num_queries, count, role_users):
    gb = Call.objects.get(code="2025-GB")
    AnnouncementFactory.create_batch(count, call=gb)
    client = Client()
    client.force_login(role_users["operator_gb"])
    # session, user, count, page of announcements with their calls
    with django_assert_num_queries(4):
        response = client.get("/manage/announcements/")
    assert len(response.context["announcements"]) == count + 1


def test_the_filter_form_reads_regions_and_programmes_once_and_only_when_used(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from programs.filters import AnnouncementFilter
    from programs.models import Announcement

    announcements(3)
    with CaptureQueriesContext(connection) as read:
        filterset = AnnouncementFilter({"q": "공고"}, queryset=Announcement.objects.all())
        assert filterset.form.is_valid()
    assert len(read) == 1  # the sectors with the calls' windows: no region, no programme
    with CaptureQueriesContext(connection) as read:
        for _ in range(2):
            options = [list(filterset.form.fields[name].choices)
                       for name in ("region", "programme")]
    assert len(read) == 2  # each read once, listed twice
    assert [len(choices) for choices in options] == [4, 4]  # "all" and three each
