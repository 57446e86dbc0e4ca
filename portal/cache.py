"""The shared cache, Redis, with a memory of its own for when Redis is away.

While Redis answers, this is Django's ``RedisCache``. When a call fails to reach it, that call
and every call for the next ``RETRY_AFTER`` seconds go to a cache in this process's memory
instead: reads find what this process stored meanwhile or nothing (a miss, never an error),
writes are kept there. Sign-in and every other page go on working; the login rate limits go on
counting, per process rather than across the whole site, until Redis is back. Nothing the
portal must not lose is kept in the cache (sessions are in the database, messages in the
outbox).
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_AFTER = 5.0  # seconds before Redis is tried again after a failure

METHODS = ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many",
           "delete_many", "clear")


class ReusedClients(RedisCacheClient):
    """Django's Redis client, keeping one ``redis.Redis`` per connection pool instead of
    building one for every cache call: its constructor fills about 170 response callbacks,
    an eighth of a cached public page's time (cProfile of the home page, 50 requests).
    A ``redis.Redis`` over a pool is safe to share between threads, and its pool reconnects
    after a fork."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClients
        self.fallback = LocMemCache(f"redis-fallback-{id(self)}",
                                    {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._down_until = 0.0

    @property
    def redis_is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _either(self, name, *args, **kwargs):
        if not self.redis_is_down:
            try:
                return getattr(RedisCache, name)(self, *args, **kwargs)
            except UNREACHABLE as exc:
                logger.warning("Cache: Redis unreachable (%s); using this process's memory "
                               "for %d s", exc, RETRY_AFTER)
                self._down_until = time.monotonic() + RETRY_AFTER
        return getattr(self.fallback, name)(*args, **kwargs)


def _delegate(name):
    def method(self, *args, **kwargs):
        return self._either(name, *args, **kwargs)
    method.__name__ = name
    method.__doc__ = f"``{name}`` on Redis, or on this process's memory while Redis is away."
    return method


for _name in METHODS:
    setattr(ResilientRedisCache, _name, _delegate(_name))
