"""Harbour's connections to Redis, as its operator sees them in `CLIENT LIST`: a few per server
process, however many members are on the Wall (Django's own Redis cache opened one for every
request and every socket, and each socket held its own while it stayed open)."""

from __future__ import annotations

import asyncio
import contextvars
import json

import pytest
import redis

from community.cache import RedisCache
from tests.live_servers import (
    Daphne,
    PrivateRedis,
    cookie_for,
    open_wall,
    server_environment,
    shared_redis_url,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.server]

SERVER_NAME = "harbour-redis-count-test"
SOCKETS_PER_PERSON = 4


def connections_named(url: str, name: str) -> int:
    with redis.Redis.from_url(url) as counting:
        return sum(client.get("name") == name for client in counting.client_list())


def test_cache_objects_share_one_connection_and_each_keeps_to_its_own_database():
    """Django makes a cache object in every request's context; each live socket keeps its own."""
    name = "harbour-cache-share-test"
    base = shared_redis_url().rsplit("/", 1)[0]
    first, second = f"{base}/14?client_name={name}", f"{base}/15?client_name={name}"
    params = {"KEY_PREFIX": "cache-share-test"}

    def cache_of_a_context_of_its_own(location: str) -> RedisCache:
        return contextvars.copy_context().run(RedisCache, location, params)

    alive = [cache_of_a_context_of_its_own(first) for _ in range(20)]
    other = cache_of_a_context_of_its_own(second)
    keys = [f"key-{n}" for n in range(20)]
    alive[0].delete_many(keys)  # an earlier run's, for 30 seconds
    other.delete_many(keys)
    for n, cache in enumerate(alive):
        cache.set(f"key-{n}", n, 30)
    assert [cache.get(f"key-{n}") for n, cache in enumerate(alive)] == list(range(20))
    assert other.get("key-3") is None, "another database's cache saw the first one's key"
    other.set("key-3", "the other's", 30)
    assert alive[0].get("key-3") == 3 and other.get("key-3") == "the other's"
    assert connections_named(base, name) == 2, "one connection a database, not one a cache"


def test_a_server_holds_a_few_redis_connections_however_many_sockets_are_open(people, talking):
    private_redis = PrivateRedis().start()
    url = private_redis.url
    server = Daphne(server_environment(
        f"{url}?client_name={SERVER_NAME}", HARBOUR_CHANNEL_LAYER="pubsub",
        HARBOUR_WALL_SOCKETS_PER_MEMBER=str(SOCKETS_PER_PERSON + 1))).start()
    cookies = [cookie_for(people[name]) for name in ("member", "volunteer", "peer_supporter")]
    try:
        async def scenario() -> tuple[int, int]:
            sockets = []
            for cookie in cookies:
                for _ in range(SOCKETS_PER_PERSON):
                    socket, hello = await open_wall(server.port, cookie)
                    await socket.send(json.dumps({"type": "resume",
                                                  "last_seq": hello["last_seq"]}))
                    sockets.append(socket)
            # Each socket has used the cache by now: its slot and its presence, before the hello.
            await sockets[-1].send(json.dumps({"type": "state"}))
            while json.loads(await asyncio.wait_for(sockets[-1].recv(), 10))["type"] != "state":
                pass
            held = connections_named(url, SERVER_NAME)
            for socket in sockets:
                await socket.close()
            return len(sockets), held

        sockets, held = asyncio.run(scenario())
    finally:
        server.stop()
        private_redis.kill()
    assert sockets == 12
    assert 0 < held <= 4, f"{held} connections to Redis for {sockets} sockets"
