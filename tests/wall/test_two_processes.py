"""Several daphne processes sharing one Redis form one Wall: a message posted through one
process reaches a browser connected to another. Real Redis, the test's own database, real
sockets on loopback. Needs Redis: it fails, never skips, when Redis is not there."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.live_servers import Daphne, cookie_for, open_wall, server_environment, shared_redis_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.server]


async def open_resumed_wall(port: int, cookie: str):
    socket, hello = await open_wall(port, cookie)
    await socket.send(json.dumps({"type": "resume", "last_seq": hello["last_seq"]}))
    return socket


async def next_message_event(socket, timeout=10) -> dict:
    while True:
        data = json.loads(await asyncio.wait_for(socket.recv(), timeout))
        if data["type"] == "event" and data["kind"] == "message":
            return data


def test_a_message_posted_through_one_process_reaches_a_client_of_the_other(people, talking):
    environment = server_environment(shared_redis_url())
    servers = [Daphne(environment), Daphne(environment)]
    # Moderators may post outside office hours, so the test holds on any day.
    poster, reader = cookie_for(people["volunteer"]), cookie_for(people["member"])
    try:
        for server in servers:
            server.start()

        async def scenario():
            listening = await open_resumed_wall(servers[1].port, reader)
            posting = await open_resumed_wall(servers[0].port, poster)
            await posting.send(json.dumps({"type": "post", "client_id": "across-procs-1",
                                           "body": "Across two processes"}))
            event = await next_message_event(listening)
            assert event["payload"]["body_html"] == "<p>Across two processes</p>"
            assert event["payload"]["author"] == "Volunteer Heron"
            await posting.close()
            await listening.close()

        asyncio.run(scenario())
    finally:
        for server in servers:
            server.stop()
