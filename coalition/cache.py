"""Django's Redis cache, degrading to this process's memory while Redis is unreachable.

The cache holds nothing that is not also elsewhere: cached filter options, the
rate-limit counters of allauth and the API. Django's RedisCache raises on a
connection error, which turned a Redis outage into a 500 on every public page
and on the sign-in page. This backend logs the outage and serves the call from a
local-memory cache of the process instead; after a failure it does not try Redis
again for RETRY_AFTER seconds (a circuit breaker), so a hung Redis costs one short
socket timeout per process and window, not one per call.

What this means during an outage (docs/operations.md): pages work, filter options
are computed per process, and the rate limits still hold, but per web process (so
N processes allow N times the configured rate) rather than across the site. Entries
written during the outage are not in Redis afterwards, and invalidations made
during it did not reach Redis: cached filter options may be up to their ten-minute
lifetime out of date once it is back.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

#: Errors that mean "Redis is not there", as opposed to a bug in how it is used.
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)

_lock = threading.Lock()
_down_until: dict[str, float] = {}  # location -> monotonic time until which Redis is skipped


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one redis-py client per connection pool.

    Django builds a new `redis.Redis` around the pool on every call, which cost about a fifth of
    a millisecond each: as much as the round trip itself on a page served from the page cache.
    A redis-py client is safe to share between threads (each command takes a connection from
    the pool) and its pool reconnects in a forked process.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients.setdefault(
                index, self._client(connection_pool=self._pools[index])
            )
        return client


class DegradingRedisCache(RedisCache):
    """RedisCache whose calls fall back to local memory while Redis is down.

    OPTIONS as RedisCache (passed to redis-py's connection pool), plus
    RETRY_AFTER: seconds to leave Redis alone after a failure (default 5).
    """

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", 5))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._location = server if isinstance(server, str) else ",".join(server)
        fallback_params = {k: v for k, v in params.items() if k != "OPTIONS"}
        self._fallback = LocMemCache(f"degraded:{self._location}", fallback_params)

    def _redis_skipped(self) -> bool:
        return time.monotonic() < _down_until.get(self._location, 0.0)

    def _trip(self, exc: Exception) -> None:
        with _lock:
            first = not self._redis_skipped()
            _down_until[self._location] = time.monotonic() + self.retry_after
        if first:
            logger.warning(
                "cache unavailable (%s: %s): using this process's memory for %.0f s",
                type(exc).__name__,
                exc,
                self.retry_after,
            )

    def _call(self, name: str, *args, **kwargs):
        if not self._redis_skipped():
            try:
                return getattr(super(), name)(*args, **kwargs)
            except OUTAGE_ERRORS as exc:
                self._trip(exc)
        return getattr(self._fallback, name)(*args, **kwargs)

    def ping(self) -> None:
        """Ask Redis itself, whatever the breaker says (for /healthz); raises if it is down."""
        self._cache.get_client(write=False).ping()

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        self._fallback.clear()
        return self._call("clear")
