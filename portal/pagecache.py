"""The public pages, cached whole for anonymous visitors and invalidated exactly.

A page (home, the announcement list with any filters, an announcement, the Atom feed, the
supplier pool) is rendered once per *generation* and language and served from the cache
(Redis in production, shared by every worker) to every visitor without a session, until:

- **what it shows changes**: any save or delete of a model listed with ``watch()`` (each app
  names its own: announcements, their attachments, calls, tracks, shares, budget lines,
  events, regions, programmes, suppliers) bumps the generation at once and again when the
  transaction commits, so no visitor is served the old page after the change is visible, and
  no page rendered from the old data meanwhile is kept;
- **a call's window opens or closes**, or a shown countdown (``time_left``) changes: a page
  is kept only until the next such moment of what it shows (``seconds_until``, from the
  calls the view has loaded anyway: no query of its own);
- at the latest ``MAX_AGE`` seconds (a bound for writes that send no signal, such as
  ``QuerySet.update``).

A page is stored with the generation it was rendered in and read with the generation in one
round trip. ``settings.PUBLIC_PAGE_CACHE = False`` turns the cache off (the bench measures
both). Signed-in users and visitors with a session (who may have messages waiting) always get a
fresh page. The CSRF token a page carries (the language form, HTMX's header) is rendered as a
marker and replaced by the visitor's own token on every response, so a cached page never hands
one visitor another's token.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.encoding import iri_to_uri
from django.utils.translation import get_language

GENERATION_KEY = "pagecache:generation"
MARKER = "pagecache-csrf-token-marker"
MAX_AGE = 300


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A lost counter starts from the clock, never from a value an older page was cached
        # under.
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY)
    return value


def _bump():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns(), None)


def invalidate(**kwargs):
    """Every cached public page is stale: now, and again once the current transaction
    commits (a page rendered meanwhile from the data before the change is not kept)."""
    _bump()
    transaction.on_commit(_bump)


def watch(*models):
    """Invalidate the public pages whenever one of ``models`` is saved or deleted."""
    for model in models:
        uid = f"pagecache:{model._meta.label}"
        post_save.connect(invalidate, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(invalidate, sender=model, dispatch_uid=uid + ":delete")


def seconds_until(moments, now=None, *, countdown_until=None) -> int:
    """Seconds until the first of ``moments`` still to come (the windows of the calls a page
    shows: a call's status changes then), at most ``MAX_AGE``; with ``countdown_until``, also
    until the countdown to that moment shown by ``time_left`` changes (each hour, each minute
    in the last day)."""
    now = now or timezone.now()
    seconds = MAX_AGE
    for moment in moments:
        if moment is not None and moment > now:
            seconds = min(seconds, (moment - now).total_seconds())
    if countdown_until is not None and countdown_until > now:
        left = countdown_until - now
        step = 3600 if left >= timedelta(days=1) else 60
        seconds = min(seconds, left.total_seconds() % step or step)
    return max(1, int(seconds))


def call_windows(announcements) -> list:
    """The window moments of the calls of ``announcements`` (already loaded with their calls)."""
    return [moment for announcement in announcements
            for moment in (announcement.call.opens_at, announcement.call.closes_at)]


def cacheable(request) -> bool:
    return (getattr(settings, "PUBLIC_PAGE_CACHE", True)
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.user.is_authenticated)


def page_key(request) -> str:
    return f"pagecache:page:{get_language()}:{iri_to_uri(request.get_full_path())}"


def cached_page(request):
    """``(key, generation, entry)``: the page's key, the current generation and the stored
    ``(content, content type)`` when it was rendered in this generation (else None) — one
    round trip to the cache."""
    key = page_key(request)
    found = cache.get_many([GENERATION_KEY, key])
    current = found.get(GENERATION_KEY)
    if current is None:
        current = generation()
    entry = found.get(key)
    if entry is not None and entry[0] == current:
        return key, current, entry[1:]
    return key, current, None


def _served(request, content: bytes, content_type: str, status=200) -> HttpResponse:
    response = HttpResponse(content.replace(MARKER.encode(), get_token(request).encode()),
                            content_type=content_type, status=status)
    patch_vary_headers(response, ("Cookie",))
    return response


class PublicPageCacheMixin:
    """For a public class-based view rendering a template: the whole page cached for
    anonymous visitors (see the module). ``page_timeout()``, called once the page is
    rendered, says how long it stays true (``seconds_until`` the shown calls' windows)."""

    def page_timeout(self) -> int:
        return MAX_AGE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if getattr(self, "_caching_page", False):
            context["csrf_token"] = MARKER
        return context

    def dispatch(self, request, *args, **kwargs):
        if not cacheable(request):
            return super().dispatch(request, *args, **kwargs)
        key, current, entry = cached_page(request)
        if entry is not None:
            return _served(request, *entry)
        self._caching_page = True
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming:
            return response
        if hasattr(response, "render"):
            response.render()
        entry = (response.content, response["Content-Type"])
        cache.set(key, (current, *entry), self.page_timeout())
        return _served(request, *entry)


def cache_public_feed(view):
    """The same for a view without a CSRF token (the Atom feed)."""

    def cached(request, *args, **kwargs):
        if not cacheable(request):
            return view(request, *args, **kwargs)
        key, current, entry = cached_page(request)
        if entry is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            entry = (response.content, response["Content-Type"])
            cache.set(key, (current, *entry), MAX_AGE)
        return HttpResponse(entry[0], content_type=entry[1])

    return cached
