"""Who is on a Wall now: display names of connected members, except those reading quietly.

Kept in the cache (shared through Redis across processes) as {user id: open sockets}; a server
process that dies leaves its entries until they expire, so the list can lag by minutes there.
"""

from __future__ import annotations

from django.core.cache import cache

from community.models import User

TTL = 60 * 60


def _key(space_id: int) -> str:
    return f"wall_presence:{space_id}"


def arrive(space_id: int, user: User) -> None:
    if user.quiet_reading:
        return
    here = cache.get(_key(space_id)) or {}
    here[user.pk] = here.get(user.pk, 0) + 1
    cache.set(_key(space_id), here, TTL)


def leave(space_id: int, user: User) -> None:
    here = cache.get(_key(space_id)) or {}
    if user.pk in here:
        here[user.pk] -= 1
        if here[user.pk] <= 0:
            del here[user.pk]
        cache.set(_key(space_id), here, TTL)


def names(space_id: int) -> list[str]:
    here = cache.get(_key(space_id)) or {}
    return sorted(User.objects.filter(pk__in=list(here), is_active=True, quiet_reading=False)
                  .values_list("display_name", flat=True))
