"""The open API's response cache: each answer is kept ``API_CACHE_SECONDS`` under a key that
holds a version number, and any save or delete of a public model raises the version, so the
next request reads fresh data. A change made without a signal (``QuerySet.update``) shows
within ``API_CACHE_SECONDS`` at most."""

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

VERSION_KEY = "api:v1:version"
WATCHED = [
    "programs.Programme", "programs.Region", "programs.Call", "programs.Track",
    "programs.FundingShare", "programs.BudgetLine", "programs.Event", "programs.Announcement",
    "programs.AnnouncementAttachment", "applications.Supplier", "awards.AwardRun",
    "results.PublishedResult",
]


def version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        value = cache.get(VERSION_KEY) or 1
    return value


def bump(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value misses every old key
        cache.set(VERSION_KEY, 2, timeout=None)


def key(request) -> str:
    return f"api:v1:{version()}:{get_language()}:{request.get_full_path()}"


def get(request):
    if not settings.API_CACHE_SECONDS:
        return None
    return cache.get(key(request))


def put(request, content: bytes) -> None:
    if settings.API_CACHE_SECONDS:
        cache.set(key(request), content, settings.API_CACHE_SECONDS)


for label in WATCHED:
    post_save.connect(bump, sender=label, dispatch_uid=f"api.cache.save.{label}")
    post_delete.connect(bump, sender=label, dispatch_uid=f"api.cache.delete.{label}")
