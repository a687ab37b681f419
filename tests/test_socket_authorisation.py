"""The authorisation table of the sockets: every role against every WebSocket action. The table
itself (`SOCKET_ACTIONS`, `socket_expected_row`) is in tests/authorisation.py, with the rest of the
policy.

Each role opens one Wall socket on the talking-therapies space and tries every action in turn; a
"state" request after each action fences it, so the outcome is whether an error came back before
the state. Object ids come from the Wall of another space too (the neighbouring id), and frames
name another author or role, which must change nothing.
"""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator

from community.asgi import application
from community.models import Role
from tests.authorisation import (
    NO_SOCKET,
    OK,
    REFUSED,
    ROLES,
    SOCKET_ACTIONS,
    SOCKET_TEAM,
    socket_expected_row,
)
from tests.conftest import make_user
from tests.wall.conftest import session_cookie, wall_socket
from wall import services
from wall.models import WallMessage, WallMute

pytestmark = pytest.mark.django_db(transaction=True)

@pytest.fixture
def objects(people, talking, carers_space, in_office_hours):
    author = make_user(Role.MEMBER, "Target Puffin", spaces=[talking, carers_space])
    message = services.wall_post(author=author, space=talking, client_id="target-0001",
                                 body="A message to act on")
    other = services.wall_post(author=author, space=carers_space, client_id="target-0002",
                               body="In the carers' space")
    assert other.pk == message.pk + 1, "the other space's message is the neighbouring id"
    return {"message": message.pk, "other_space_message": other.pk,
            "missing_message": message.pk - 1, "target_author": author.pk}


def fill(frame: dict, objects: dict) -> dict:
    return {key: objects[value.strip("<>")] if isinstance(value, str) and value.startswith("<")
            else value for key, value in frame.items()}


async def outcome(socket: WebsocketCommunicator, frame: dict) -> str:
    await socket.send_json_to(frame)
    await socket.send_json_to({"type": "state"})
    refused = False
    while True:
        reply = await socket.receive_json_from(timeout=5)
        if reply["type"] == "error":
            refused = True
        if reply["type"] == "state":
            return REFUSED if refused else OK


@pytest.mark.parametrize("role", ROLES)
def test_socket_authorisation_table(people, objects, role):
    user = people.get(role)
    socket = wall_socket(user)

    async def walk_the_table() -> dict[str, str]:
        connected, _ = await socket.connect()
        if not connected:
            return {action: NO_SOCKET for action, _ in SOCKET_ACTIONS}
        assert (await socket.receive_json_from(timeout=5))["type"] == "hello"
        await socket.send_json_to({"type": "resume", "last_seq": 0})
        results = {action: await outcome(socket, fill(frame, objects))
                   for action, frame in SOCKET_ACTIONS}
        await socket.disconnect()
        return results

    assert async_to_sync(walk_the_table)() == socket_expected_row(role)
    if role in ("member", *SOCKET_TEAM):
        spoofed = WallMessage.objects.get(client_id="table-0002")
        assert spoofed.author == user, "the author comes from the session, never the frame"
        assert WallMessage.objects.get(client_id="table-0003").reply_to_id == objects["message"]
        assert WallMessage.objects.get(client_id="table-0004").reply_to_id is None
    other = WallMessage.objects.get(pk=objects["other_space_message"])
    assert other.status == "published" and not other.reactions.exists()
    muted = WallMute.objects.filter(user_id=objects["target_author"]).exists()
    assert muted == (role in SOCKET_TEAM)


QUEUE_EXPECTED = {role: role in SOCKET_TEAM for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
def test_moderation_queue_socket_table(people, talking, role):
    user = people.get(role)
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if user is not None:
        headers.append((b"cookie", session_cookie(user)))
    socket = WebsocketCommunicator(application, "/ws/moderation/", headers=headers)

    async def attempt() -> bool:
        connected, _ = await socket.connect()
        if connected:
            await socket.send_json_to({"type": "claim", "item": 1, "user": 1})
            while (reply := await socket.receive_json_from(timeout=5))["type"] != "error":
                assert reply["type"] != "queue", "the socket only listens"
            await socket.disconnect()
        return connected

    assert async_to_sync(attempt)() == QUEUE_EXPECTED[role]
