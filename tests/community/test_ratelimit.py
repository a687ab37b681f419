"""The attempt counter behind join codes, password resets and the Wall's posting limit, on
Harbour's Redis cache: the window starts with the first attempt and later attempts do not
stretch it."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
import redis

from community import ratelimit
from community.cache import RedisCache
from tests.live_servers import shared_redis_url

PREFIX = "ratelimit-test"


@pytest.fixture
def redis_cache(monkeypatch):
    cache = RedisCache(shared_redis_url(), {"KEY_PREFIX": PREFIX})
    monkeypatch.setattr(ratelimit, "cache", cache)
    return cache


def remaining_seconds(cache: RedisCache, key: str) -> int:
    with redis.Redis.from_url(shared_redis_url()) as reading:
        return reading.ttl(cache.make_and_validate_key(key))


def test_counts_from_one_within_a_window_that_later_attempts_do_not_stretch(redis_cache):
    who = uuid.uuid4().hex
    key = f"attempts:join:{who}"
    ratelimit.attempt_record(scope="join", who=who, window=timedelta(minutes=10))
    assert redis_cache.get(key) == 1
    assert 590 <= remaining_seconds(redis_cache, key) <= 600
    redis_cache.touch(key, 300)  # as if five minutes had passed
    for _ in range(2):
        ratelimit.attempt_record(scope="join", who=who, window=timedelta(minutes=10))
    assert redis_cache.get(key) == 3
    assert remaining_seconds(redis_cache, key) <= 300, "a later attempt restarted the window"
    assert not ratelimit.attempts_exceeded(scope="join", who=who, limit=4)
    assert ratelimit.attempts_exceeded(scope="join", who=who, limit=3)


def test_a_new_window_starts_at_one_once_the_last_has_passed(redis_cache):
    who = uuid.uuid4().hex
    for _ in range(3):
        ratelimit.attempt_record(scope="join", who=who, window=timedelta(seconds=1))
    assert ratelimit.attempts_exceeded(scope="join", who=who, limit=3)
    time.sleep(1.2)
    assert not ratelimit.attempts_exceeded(scope="join", who=who, limit=1)
    ratelimit.attempt_record(scope="join", who=who, window=timedelta(seconds=1))
    assert redis_cache.get(f"attempts:join:{who}") == 1
    assert remaining_seconds(redis_cache, f"attempts:join:{who}") > 0, "counter kept forever"
