"""The public pages are cached whole for anonymous visitors and invalidated exactly: when an
announcement (or anything else they show) changes, when a shown call's window opens or closes,
and when a shown countdown changes; each visitor still gets its own CSRF token."""

import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from companies import services as company_services
from portal import pagecache
from programs import services
from programs.models import Call
from tests.factories.applications import SupplierFactory
from tests.factories.portal import UserFactory
from tests.factories.programs import AnnouncementFactory, CallFactory

pytestmark = pytest.mark.django_db

PAGES = ["/", "/announcements/", "/announcements/?region=GB&status=open",
         "/announcements/feed/", "/suppliers/"]


def csrf_tokens(html):
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


@pytest.mark.parametrize("path", PAGES)
def test_public_page_second_visit_served_from_cache(demo, django_assert_num_queries, path):
    first = Client().get(path)
    with django_assert_num_queries(0):
        second = Client().get(path)
    assert (first.status_code, second.status_code) == (200, 200)
    strip = re.compile(r'(value="|"X-CSRFToken": ")[^"]+"')
    assert strip.sub("", second.content.decode()) == strip.sub("", first.content.decode())


def test_announcement_page_second_visit_served_from_cache(demo, django_assert_num_queries):
    announcement = AnnouncementFactory(call=Call.objects.get(code="2025-GB"))
    Client().get(f"/announcements/{announcement.pk}/")
    with django_assert_num_queries(0):
        assert Client().get(f"/announcements/{announcement.pk}/").status_code == 200


def test_cached_page_carries_each_visitor_its_own_working_csrf_token(demo):
    Client().get("/announcements/")
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/announcements/")
    [token] = csrf_tokens(page.content.decode())
    other = csrf_tokens(Client().get("/announcements/").content.decode())

    response = visitor.post("/i18n/setlang/", {"language": "en", "next": "/",
                                               "csrfmiddlewaretoken": token})

    assert (pagecache.MARKER in page.content.decode(), token in other) == (False, False)
    assert (response.status_code, response["Location"]) == (302, "/")


def test_publishing_editing_and_unpublishing_show_at_once(demo, role_users):
    call = Call.objects.get(code="2025-GB")
    announcement = AnnouncementFactory(call=call, draft=True, title="캐시 시험 공고")
    visitor = Client()
    for path in ("/", "/announcements/"):
        assert "캐시 시험 공고" not in visitor.get(path).content.decode()

    services.publish_announcement(announcement, user=role_users["staff"])
    assert ["캐시 시험 공고" in visitor.get(path).content.decode()
            for path in ("/", "/announcements/", "/announcements/feed/")] == [True] * 3
    detail = f"/announcements/{announcement.pk}/"
    assert visitor.get(detail).status_code == 200

    announcement.refresh_from_db()
    announcement.title = "고친 제목"
    services.save_announcement(announcement, user=role_users["staff"])
    assert ["고친 제목" in visitor.get(path).content.decode()
            for path in ("/", "/announcements/", detail, "/announcements/feed/")] == [True] * 4

    services.unpublish_announcement(announcement, user=role_users["staff"])
    assert ["고친 제목" in visitor.get(path).content.decode()
            for path in ("/", "/announcements/", "/announcements/feed/")] == [False] * 3
    assert visitor.get(detail).status_code == 404


def test_a_changed_call_shows_at_once(demo):
    call = Call.objects.get(code="2025-GB")
    announcement = call.announcements.get()
    visitor = Client()
    visitor.get(f"/announcements/{announcement.pk}/")
    call.total_budget = 9_876_000_000
    call.save()
    assert "9,876,000,000원" in visitor.get(f"/announcements/{announcement.pk}/").content.decode()


def test_approving_a_supplier_shows_it_in_the_pool_at_once(demo, role_users):
    supplier = SupplierFactory(name="승인 대기 공급기업", approved=False)
    visitor = Client()
    assert "승인 대기 공급기업" not in visitor.get("/suppliers/").content.decode()
    company_services.approve_supplier(supplier, user=role_users["staff"])
    assert "승인 대기 공급기업" in visitor.get("/suppliers/").content.decode()


def kept_for(monkeypatch, path):
    """How many seconds the page at ``path`` is kept in the cache."""
    kept = {}
    backend = caches["default"]
    original = backend.set

    def spy(key, value, timeout=None, **kwargs):
        if key.startswith("pagecache:page:"):
            kept[key] = timeout
        return original(key, value, timeout, **kwargs)

    monkeypatch.setattr(backend, "set", spy)
    assert Client().get(path).status_code == 200
    [timeout] = kept.values()
    return timeout


def test_page_kept_only_until_a_shown_call_opens(db, monkeypatch):
    call = CallFactory(opens_at=timezone.now() + timedelta(seconds=90),
                       closes_at=timezone.now() + timedelta(days=30))
    AnnouncementFactory(call=call)
    assert 85 <= kept_for(monkeypatch, "/announcements/") <= 90
    assert 85 <= kept_for(monkeypatch, "/") <= 90


def test_page_kept_only_until_a_shown_call_closes(db, monkeypatch):
    call = CallFactory(opens_at=timezone.now() - timedelta(days=3),
                       closes_at=timezone.now() + timedelta(seconds=120))
    AnnouncementFactory(call=call)
    assert 115 <= kept_for(monkeypatch, "/announcements/") <= 120


def test_announcement_page_kept_only_until_its_countdown_changes(db, monkeypatch):
    call = CallFactory(opens_at=timezone.now() - timedelta(days=3),
                       closes_at=timezone.now() + timedelta(days=3, seconds=150))
    announcement = AnnouncementFactory(call=call)
    # "3 days 0 h left" until the hour turns, in 150 seconds
    assert 145 <= kept_for(monkeypatch, f"/announcements/{announcement.pk}/") <= 150


def test_list_filtered_by_status_kept_until_any_call_opens(db, monkeypatch):
    CallFactory(opens_at=timezone.now() + timedelta(seconds=60),
                closes_at=timezone.now() + timedelta(days=9))  # no announcement shown
    AnnouncementFactory(call=CallFactory(opens_at=timezone.now() - timedelta(days=1),
                                         closes_at=timezone.now() + timedelta(days=9)))
    assert kept_for(monkeypatch, "/announcements/") == pagecache.MAX_AGE
    assert 55 <= kept_for(monkeypatch, "/announcements/?status=open") <= 60


def test_seconds_until_follows_the_countdown():
    now = timezone.now()
    closes = now + timedelta(days=2, hours=3, minutes=4, seconds=5)
    assert pagecache.seconds_until([closes], now, countdown_until=closes) == 4 * 60 + 5
    soon = now + timedelta(hours=5, seconds=42)
    assert pagecache.seconds_until([soon], now, countdown_until=soon) == 42
    assert pagecache.seconds_until([now - timedelta(days=1)], now) == pagecache.MAX_AGE


def test_signed_in_users_and_sessions_get_fresh_pages(demo, django_assert_num_queries):
    Client().get("/announcements/")
    user = UserFactory()
    client = Client()
    client.force_login(user)
    with django_assert_num_queries(7):  # session, user, and the list's own five
        assert client.get("/announcements/").status_code == 200
    visitor = Client()
    visitor.cookies["sessionid"] = "an-old-session"
    with django_assert_num_queries(6):  # the session looked up, and the list's five
        assert visitor.get("/announcements/").status_code == 200


def test_page_cache_can_be_turned_off(demo, settings, django_assert_num_queries):
    settings.PUBLIC_PAGE_CACHE = False
    Client().get("/")
    with django_assert_num_queries(1):
        assert Client().get("/").status_code == 200
