"""The cache while Redis is away: pages and sign-in keep working, rate limits keep counting."""

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from portal.cache import ResilientRedisCache
from tests.applications.test_accounts import sign_in, text
from tests.brokers import UNREACHABLE
from tests.factories.portal import PASSWORD, UserFactory


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": {"BACKEND": "portal.cache.ResilientRedisCache",
                                   "LOCATION": UNREACHABLE}}
    cache = caches["default"]
    assert isinstance(cache, ResilientRedisCache)
    return cache


def test_reads_miss_and_writes_go_to_memory_while_redis_is_away(redis_down):
    assert redis_down.get("missing", "default") == "default"
    assert redis_down.redis_is_down is True
    redis_down.set("key", "value", 30)
    assert (redis_down.get("key"), redis_down.add("key", "other")) == ("value", False)
    assert (redis_down.add("n", 1), redis_down.incr("n")) == (True, 2)
    redis_down.delete("key")
    assert redis_down.get("key") is None


def test_redis_is_tried_again_after_a_pause(redis_down, monkeypatch):
    redis_down.get("x")
    assert redis_down.redis_is_down is True
    monkeypatch.setattr("portal.cache.time.monotonic", lambda: 10**9)
    assert redis_down.redis_is_down is False


def test_login_page_and_sign_in_work_while_redis_is_away(redis_down, db):
    """Issue 9, finding 3: /accounts/login/ answered 500 with Redis stopped."""
    UserFactory(email="member@company.test")
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert browser.get(reverse("account_login")).status_code == 200
    response = sign_in(browser, "member@company.test", PASSWORD)
    assert (response.status_code, response.url) == (302, reverse("dashboard"))


def test_login_rate_limit_still_counts_while_redis_is_away(redis_down, db):
    UserFactory(email="member@company.test")
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(5):
        assert sign_in(browser, "member@company.test", "wrong-password").status_code == 200
    response = sign_in(browser, "member@company.test", PASSWORD)
    assert ("Too many failed sign-in attempts. Wait a few minutes, then try again."
            in text(response))
    assert "_auth_user_id" not in browser.session


def test_one_redis_client_serves_every_call_to_a_server(settings):
    settings.CACHES = {"default": {"BACKEND": "portal.cache.ResilientRedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/15"}}
    cache = caches["default"]
    cache.set("reused", "value", 30)
    assert (cache.get("reused"), cache.redis_is_down) == ("value", False)
    writing, reading = (cache._cache.get_client("reused", write=write) for write in (True, False))
    assert writing is reading
    cache.delete("reused")
    assert cache.get("reused") is None
