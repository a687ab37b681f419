"""Frame sizes against the real server (daphne), as an attacker's client would send them: the
Wall answers a frame over 16 KiB with an error and keeps the socket; daphne (autobahn) drops a
connection whose frame passes 1 MiB rather than hold it in memory, and serves everyone else as
before."""

from __future__ import annotations

import asyncio
import json

import pytest
import websockets

from tests.live_servers import Daphne, cookie_for, open_wall, server_environment

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.server]


async def next_of(socket, wanted: str) -> dict:
    while (reply := json.loads(await asyncio.wait_for(socket.recv(), 10)))["type"] != wanted:
        pass
    return reply


def test_oversize_frames_against_daphne(people, talking):
    server = Daphne(server_environment(None)).start()
    member, other = cookie_for(people["volunteer"]), cookie_for(people["peer_supporter"])
    try:
        async def scenario():
            socket, _ = await open_wall(server.port, member)
            bystander, _ = await open_wall(server.port, other)
            await socket.send(json.dumps({"type": "post", "client_id": "big-00001",
                                          "body": "x" * 20_000}))
            assert (await next_of(socket, "error"))["code"] == "too_large"
            await socket.send(json.dumps({"type": "state"}))
            assert (await next_of(socket, "state"))["type"] == "state"

            # daphne may drop the connection while the frame is still being written, or just
            # after: either way this socket is gone.
            with pytest.raises(websockets.ConnectionClosed):
                await socket.send("y" * (2 * 1024 * 1024))
                await next_of(socket, "state")

            await bystander.send(json.dumps({"type": "state"}))
            assert (await next_of(bystander, "state"))["type"] == "state"
            await bystander.close()

        asyncio.run(scenario())
    finally:
        server.stop()
