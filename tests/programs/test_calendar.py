"""iCalendar files: an announcement's window, deadline and events; every open call's deadline."""

from datetime import timedelta

import pytest
from django.test import Client
from icalendar import Calendar

from programs.models import Announcement, Call
from tests.factories.programs import AnnouncementFactory, CallFactory

pytestmark = pytest.mark.django_db


def calendar_of(response):
    assert (response.status_code, response["Content-Type"]) == (200,
                                                                "text/calendar; charset=utf-8")
    return Calendar.from_ical(response.content)


def test_announcement_calendar_has_window_deadline_and_the_information_session(demo,
                                                                              settings):
    settings.SITE_URL = "https://portal.test"
    announcement = Announcement.objects.get(call__code="2025-CL")
    call = announcement.call
    response = Client().get(f"/announcements/{announcement.pk}/calendar.ics")
    assert response["Content-Disposition"] == (
        f'attachment; filename="announcement-{announcement.pk}.ics"')
    events = calendar_of(response).events
    session = call.events.get()
    assert [(str(e["uid"]), e.decoded("dtstart"), e.decoded("dtend")) for e in events] == [
        (f"announcement-{announcement.pk}-window@portal.test", call.opens_at, call.closes_at),
        (f"call-{call.pk}-deadline@portal.test", call.closes_at, call.closes_at),
        (f"event-{session.pk}@portal.test", session.starts_at,
         session.starts_at + timedelta(hours=2)),
    ]
    assert [str(e["summary"]) for e in events] == [
        f"접수 기간: {announcement.title}", f"접수 마감: {announcement.title}", session.title]
    assert str(events[2]["location"]) == session.location
    assert str(events[0]["url"]) == f"https://portal.test/announcements/{announcement.pk}/"


def test_announcement_calendar_of_a_draft_is_404(demo):
    draft = AnnouncementFactory(draft=True)
    assert Client().get(f"/announcements/{draft.pk}/calendar.ics").status_code == 404


def test_deadlines_calendar_lists_each_open_call_once(demo, django_assert_num_queries):
    closed = CallFactory(code="2025-OLD")
    Call.objects.filter(pk=closed.pk).update(opens_at=closed.opens_at.replace(year=2020),
                                             closes_at=closed.closes_at.replace(year=2021))
    AnnouncementFactory(call=closed)
    jeonbuk = Call.objects.get(code="2025-JB")
    AnnouncementFactory(call=jeonbuk, title="전북 정정 공고")
    with django_assert_num_queries(1):
        response = Client().get("/announcements/calendar.ics")
    events = calendar_of(response).events
    assert sorted(str(e["uid"]).split("@")[0] for e in events) == sorted(
        f"call-{call.pk}-deadline" for call in Call.objects.exclude(code="2025-OLD"))
    jb = next(e for e in events if str(e["uid"]).startswith(f"call-{jeonbuk.pk}-"))
    assert (str(jb["summary"]), jb.decoded("dtstart")) == ("접수 마감: 전북 정정 공고",
                                                          jeonbuk.closes_at)
