"""Attempt counting in the cache, for forms that must resist guessing (joining with a code).

django-ratelimit would fit, but it refuses Django's own Redis cache and the in-memory cache that
Harbour uses by default, so this small counter stands in. With REDIS_URL set the count is shared
by every server process.
"""

from __future__ import annotations

from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.core.cache import cache


def client_address(request) -> str:
    """The client's address, read the same way as for sign-in lock-outs."""
    return get_client_ip_address(request) or "unknown"


def _key(scope: str, who: str) -> str:
    return f"attempts:{scope}:{who}"


def attempts_exceeded(*, scope: str, who: str, limit: int) -> bool:
    """True once `limit` attempts have been recorded in the current window."""
    return (cache.get(_key(scope, who)) or 0) >= limit


def attempt_record(*, scope: str, who: str, window: timedelta) -> None:
    """Count one attempt; the window starts with the first attempt."""
    key = _key(scope, who)
    seconds = int(window.total_seconds())
    if hasattr(cache, "count_up"):  # Harbour's Redis cache, in one round trip
        cache.count_up(key, seconds)
        return
    if cache.add(key, 1, timeout=seconds):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
