"""The open API's response cache: each answer is kept ``API_CACHE_SECONDS`` with the version
number current when it was computed, and any save or delete of a public model raises the
version, so the next request computes a fresh answer. A change made without a signal
(``QuerySet.update``) shows within ``API_CACHE_SECONDS`` at most."""

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

VERSION_KEY = "api:v1:version"
WATCHED = [
    "programs.Programme", "programs.Region", "programs.Call", "programs.Track",
    "programs.FundingShare", "programs.BudgetLine", "programs.Event", "programs.Announcement",
    "programs.AnnouncementAttachment", "companies.Supplier", "awards.AwardRun",
    "results.PublishedResult",
]


def bump(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value misses every old answer
        cache.set(VERSION_KEY, 2, timeout=None)


def key(request) -> str:
    return f"api:v1:{get_language()}:{request.get_full_path()}"


def get(request):
    """The answer kept for this request, if it was kept under the current version: the
    version and the answer are read together (one round trip)."""
    if not settings.API_CACHE_SECONDS:
        return None
    found = cache.get_many([VERSION_KEY, key(request)])
    version, kept = found.get(VERSION_KEY, 1), found.get(key(request))
    if kept is None or kept[0] != version:
        return None
    return kept[1]


def put(request, content: bytes) -> None:
    if settings.API_CACHE_SECONDS:
        version = cache.get(VERSION_KEY, 1)
        cache.set(key(request), (version, content), settings.API_CACHE_SECONDS)


for label in WATCHED:
    post_save.connect(bump, sender=label, dispatch_uid=f"api.cache.save.{label}")
    post_delete.connect(bump, sender=label, dispatch_uid=f"api.cache.delete.{label}")
