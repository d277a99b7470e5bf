"""The Redis cache keeps one redis-py client per process instead of one per call
(coalition.cache.ReusingRedisCacheClient), and that client survives its connections being cut."""

from __future__ import annotations

import os

import pytest
from django.core.cache.backends.redis import RedisCacheClient

from coalition.cache import DegradingRedisCache, ReusingRedisCacheClient

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs Redis (REDIS_URL)")


@pytest.fixture
def redis_cache():
    cache = DegradingRedisCache(REDIS_URL, {"KEY_PREFIX": "test-cache-client"})
    yield cache
    cache.delete_many(["a", "b"])


def test_every_call_uses_the_same_client(redis_cache):
    assert isinstance(redis_cache._cache, ReusingRedisCacheClient)
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client(write=False) is client
    redis_cache.set("a", 1)
    assert redis_cache.get("a") == 1
    assert redis_cache._cache.get_client() is client
    # What Django's own client does, and what this one avoids.
    django_client = RedisCacheClient([REDIS_URL])
    assert django_client.get_client() is not django_client.get_client()


def test_the_shared_client_reconnects_after_its_connections_were_cut(redis_cache):
    redis_cache.set("b", "before")
    client = redis_cache._cache.get_client(write=True)
    # Only this client's own connection (the pool holds one: the calls above ran one at a time).
    killed = client.client_kill_filter(_id=client.client_id(), skipme=False)
    assert killed == 1
    assert redis_cache.get("b") == "before"
    redis_cache.set("b", "after")
    assert redis_cache.get("b") == "after"
    assert redis_cache._cache.get_client() is client
