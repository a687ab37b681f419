"""Harbour's connections to Redis, as its operator sees them in `CLIENT LIST`: a few per server
process, however many members are on the Wall (Django's own Redis cache opened one for every
request and every socket, and each socket held its own while it stayed open)."""

from __future__ import annotations

import asyncio
import json

import pytest
import redis

from tests.live_servers import Daphne, PrivateRedis, cookie_for, open_wall, server_environment

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.server]

SERVER_NAME = "harbour-redis-count-test"
SOCKETS_PER_PERSON = 4


def connections_of_the_server(url: str) -> int:
    return sum(client.get("name") == SERVER_NAME
               for client in redis.Redis.from_url(url).client_list())


def test_a_server_holds_a_few_redis_connections_however_many_sockets_are_open(people, talking):
    private_redis = PrivateRedis().start()
    url = private_redis.url
    server = Daphne(server_environment(f"{url}?client_name={SERVER_NAME}")).start()
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
            held = connections_of_the_server(url)
            for socket in sockets:
                await socket.close()
            return len(sockets), held

        sockets, held = asyncio.run(scenario())
    finally:
        server.stop()
        private_redis.kill()
    assert sockets == 12
    assert 0 < held <= 4, f"{held} connections to Redis for {sockets} sockets"
