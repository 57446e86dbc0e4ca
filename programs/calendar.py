"""iCalendar (.ics) files: one announcement's application window and events, and a feed of
every open call's deadline (RFC 5545, written with the ``icalendar`` library).

Times are written in UTC (``…Z``), so every calendar application shows them in its own time
zone without a VTIMEZONE; each entry's UID is stable, so a calendar that subscribes to the
feed updates an entry instead of adding it again.
"""

from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from icalendar import Calendar, Event

from portal.text import translated

from .enums import CallStatus
from .models import Announcement, Call
from .selectors import public_announcements

PRODID = "-//Smart Factory Support Portal//smartfactory//KO"
# An event of a call stores only its start: calendars show it for this long.
EVENT_LENGTH = timedelta(hours=2)


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(uid, summary, start, end, *, url="", description="", location="", stamp=None):
    event = Event()
    event.add("uid", f"{uid}@{_domain()}")
    event.add("dtstamp", (stamp or timezone.now()).astimezone(UTC))
    event.add("dtstart", start.astimezone(UTC))
    event.add("dtend", end.astimezone(UTC))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    return event


def _url(announcement) -> str:
    return settings.SITE_URL + reverse("programs:announcement_detail", args=[announcement.pk])


def announcement_calendar(announcement: Announcement) -> Calendar:
    """The application window (from opening to the deadline), the deadline itself and the
    call's events (information sessions…)."""
    call = announcement.call
    title = translated(announcement, "title")
    url = _url(announcement)
    calendar = _calendar(title)
    stamp = announcement.updated_at
    calendar.add_component(_event(
        f"announcement-{announcement.pk}-window", _("Applications open: %(title)s")
        % {"title": title}, call.opens_at, call.closes_at, url=url, stamp=stamp,
        description=_("Application window of %(call)s") % {"call": translated(call, "title")}))
    calendar.add_component(_event(
        f"call-{call.pk}-deadline", _("Application deadline: %(title)s") % {"title": title},
        call.closes_at, call.closes_at, url=url, stamp=stamp))
    for event in call.events.all():
        calendar.add_component(_event(
            f"event-{event.pk}", translated(event, "title"), event.starts_at,
            event.starts_at + EVENT_LENGTH, url=url, location=translated(event, "location"),
            stamp=stamp))
    return calendar


def deadlines_calendar(now=None) -> Calendar:
    """Every open call's deadline, with a link to its newest published announcement (two
    queries, whatever the number of calls)."""
    now = now or timezone.now()
    calendar = _calendar(_("Smart factory support: deadlines of open calls"))
    open_calls = Call.objects.with_status(CallStatus.OPEN, now)
    seen = set()
    for announcement in public_announcements().filter(call__in=open_calls):
        call = announcement.call
        if call.pk in seen:
            continue
        seen.add(call.pk)
        calendar.add_component(_event(
            f"call-{call.pk}-deadline",
            _("Application deadline: %(title)s") % {"title": translated(announcement, "title")},
            call.closes_at, call.closes_at, url=_url(announcement),
            stamp=announcement.updated_at))
    return calendar


def ics_response(calendar: Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class AnnouncementCalendarView(View):
    def get(self, request, pk):
        announcement = get_object_or_404(
            public_announcements().prefetch_related("call__events"), pk=pk)
        return ics_response(announcement_calendar(announcement),
                            f"announcement-{announcement.pk}.ics")


class DeadlinesCalendarView(View):
    def get(self, request):
        return ics_response(deadlines_calendar(), "deadlines.ics")
