"""Published results as items of the announcements' Atom feed (``settings.FEED_SOURCES``)."""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.text import translated

from .models import PublishedResult


@dataclass(frozen=True)
class FeedItem:
    title: str
    description: str
    link: str
    pubdate: datetime
    updateddate: datetime


def feed_items(limit: int = 50) -> list[FeedItem]:
    results = PublishedResult.objects.select_related("call__region").order_by(
        "-published_at", "-pk")[:limit]
    items = []
    for result in results:
        call = result.call
        region = translated(call.region, "name") if call.region else _("Nationwide")
        items.append(FeedItem(
            title=_("Selection results: %(call)s") % {"call": translated(call, "title")},
            description=f"{region} · {translated(call, 'title')}",
            link=reverse("results:detail", args=[result.pk]),
            pubdate=result.published_at, updateddate=result.published_at))
    return items
