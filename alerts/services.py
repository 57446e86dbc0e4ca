"""Writes of the alerts app: saved searches, unsubscribing, and the alert and digest emails.

Every email goes through the outbox in the transaction that records its delivery: an
``AlertDelivery`` (unique per saved search and announcement) or a ``Digest`` (unique per saved
search and week), so running a task twice, or at once in two workers, sends nothing twice.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from outbox import services as outbox
from programs.models import Announcement
from programs.selectors import public_announcements

from .enums import Frequency
from .matching import clean_filters, matches
from .models import AlertDelivery, Digest, SavedSearch
from .tokens import unsubscribe_url


def save_search(user, *, name, filters, frequency) -> SavedSearch:
    return SavedSearch.objects.create(user=user, name=name[:100],
                                      filters=clean_filters(filters), frequency=frequency)


def delete_search(search: SavedSearch) -> None:
    search.delete()


def unsubscribe(search: SavedSearch) -> bool:
    """Stop the saved search's emails; True when this call stopped them (False: already)."""
    return bool(SavedSearch.objects.filter(pk=search.pk, unsubscribed_at__isnull=True)
                .update(unsubscribed_at=timezone.now()))


def active_searches(frequency):
    return (SavedSearch.objects.filter(frequency=frequency, unsubscribed_at__isnull=True,
                                       user__is_active=True)
            .select_related("user").order_by("pk"))


def _email(template, context, search):
    with translation.override(settings.LANGUAGE_CODE):
        url = unsubscribe_url(search)
        context = {**context, "search": search, "unsubscribe_url": url,
                   "SITE_URL": settings.SITE_URL,
                   "alerts_url": settings.SITE_URL + reverse("alerts:list")}
        subject = " ".join(render_to_string(f"alerts/email/{template}_subject.txt",
                                            context).split())
        body = render_to_string(f"alerts/email/{template}_message.txt", context)
    headers = {"List-Unsubscribe": f"<{url}>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return subject, body, headers


def announcement_url(announcement) -> str:
    return settings.SITE_URL + reverse("programs:announcement_detail", args=[announcement.pk])


def send_alerts(announcement_id: int, now=None) -> int:
    """Email every active immediate saved search that ``announcement`` matches, once each.
    Returns how many emails this call wrote (0 when run again)."""
    announcement = public_announcements().filter(pk=announcement_id).first()
    if announcement is None:
        return 0
    now = now or timezone.now()
    sent = 0
    for search in active_searches(Frequency.IMMEDIATE):
        if not matches(search.filters, announcement, now):
            continue
        try:
            with transaction.atomic():
                AlertDelivery.objects.create(search=search, announcement=announcement)
                subject, body, headers = _email(
                    "alert", {"announcement": announcement,
                              "url": announcement_url(announcement)}, search)
                outbox.enqueue_email(to=[search.user.email], subject=subject, body=body,
                                     headers=headers,
                                     key=f"alert-{search.pk}-announcement-{announcement.pk}")
        except IntegrityError:
            continue  # delivered before (another run of this task)
        sent += 1
    return sent


def week_of(now) -> date:
    day = timezone.localdate(now)
    return day - timedelta(days=day.weekday())


def send_weekly_digests(now=None) -> int:
    """One email per active weekly saved search with announcements published in the last 7
    days that it matches and has not been sent; at most one a week. Returns emails written."""
    now = now or timezone.now()
    week = week_of(now)
    recent = list(public_announcements().filter(published_at__gte=now - timedelta(days=7)))
    if not recent:
        return 0
    searches = list(active_searches(Frequency.WEEKLY))
    delivered = set(AlertDelivery.objects.filter(search__in=searches,
                                                 announcement__in=recent)
                    .values_list("search_id", "announcement_id"))
    sent = 0
    for search in searches:
        found = [a for a in recent
                 if (search.pk, a.pk) not in delivered and matches(search.filters, a, now)]
        if not found:
            continue
        try:
            with transaction.atomic():
                digest = Digest.objects.create(search=search, week=week)
                AlertDelivery.objects.bulk_create(
                    [AlertDelivery(search=search, announcement=a, digest=digest)
                     for a in found], ignore_conflicts=True)
                items = [{"announcement": a, "url": announcement_url(a)} for a in found]
                subject, body, headers = _email("digest", {"items": items, "week": week},
                                                search)
                outbox.enqueue_email(to=[search.user.email], subject=subject, body=body,
                                     headers=headers, key=f"digest-{search.pk}-{week}")
        except IntegrityError:
            continue  # this week's digest was written before
        sent += 1
    return sent


def published_key(announcement: Announcement) -> str:
    """The outbox key of the alerts task of one publication of ``announcement``."""
    return f"alerts-announcement-{announcement.pk}-{announcement.published_at.isoformat()}"


def queue_alerts(announcement: Announcement) -> None:
    """In the transaction that publishes ``announcement``: its alerts task, once per
    publication (a later edit queues nothing; a new publication after unpublishing does, and
    finds the searches already emailed)."""
    outbox.enqueue_task("alerts.announcement_published", announcement.pk,
                        key=published_key(announcement))
