"""The review queue over /ws/moderation/: items appear without a reload, for the team only."""

import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.utils import timezone

from community.asgi import application
from moderation import services
from moderation.models import ReviewItem
from tests.conftest import verify_second_factor

pytestmark = pytest.mark.django_db(transaction=True)


def session_cookie(user, *, second_factor=True) -> bytes:
    client = Client()
    client.force_login(user)
    if second_factor:
        verify_second_factor(client, user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}" \
        .encode()


def communicator(cookie: bytes | None, origin: bytes = b"http://testserver"):
    headers = [(b"origin", origin), (b"host", b"testserver")]
    if cookie:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(application, "/ws/moderation/", headers=headers)


def test_new_items_and_claims_arrive_live_as_json(people, talking):
    cookie = session_cookie(people["volunteer"])

    async def scenario():
        socket = communicator(cookie)
        connected, _ = await socket.connect()
        assert connected
        hello = await socket.receive_json_from()
        assert hello == {"type": "hello", "spaces": [talking.pk]}
        item = await sync_to_async(services.review_item_open)(
            kind="report", space=talking, target_type="forums.post", target_id=1,
            member=people["member"], tier="high", summary="Forum post by Quiet Harbour",
        )
        created = await socket.receive_from(timeout=5)
        event = json.loads(created)
        assert event["type"] == "queue" and event["event"] == "created"
        assert event["item"]["id"] == item.pk and event["item"]["tier"] == "high"
        await sync_to_async(services.review_item_claim)(item=item, moderator=people["clinician"])
        claimed = await socket.receive_json_from(timeout=5)
        assert claimed["event"] == "claimed" and claimed["item"]["claimed_by"] == "Dr Willow"
        await socket.disconnect()

    async_to_sync(scenario)()


def test_items_in_other_spaces_do_not_arrive(people, carers_space):
    cookie = session_cookie(people["peer_supporter"])

    async def scenario():
        socket = communicator(cookie)
        assert (await socket.connect())[0]
        await socket.receive_json_from()
        await sync_to_async(ReviewItem.objects.create)(
            kind="report", space=carers_space, due_at=timezone.now())
        await sync_to_async(services.review_item_open)(
            kind="risk", space=carers_space, target_type="forums.post", target_id=9)
        assert await socket.receive_nothing(timeout=0.5)
        await socket.disconnect()

    async_to_sync(scenario)()


@pytest.mark.parametrize("who", ["member", "carer", "anonymous", "unverified"])
def test_only_the_verified_team_connects(people, who):
    if who == "anonymous":
        cookie = None
    elif who == "unverified":
        cookie = session_cookie(people["volunteer"], second_factor=False)
    else:
        cookie = session_cookie(people[who])

    async def scenario():
        socket = communicator(cookie)
        connected, _ = await socket.connect()
        assert not connected
        await socket.disconnect()

    async_to_sync(scenario)()


def test_suspension_closes_the_queue_socket_of_the_person(people, talking):
    """The same user group closes every live connection of a suspended person."""
    cookie = session_cookie(people["volunteer"])

    async def scenario():
        socket = communicator(cookie)
        assert (await socket.connect())[0]
        await socket.receive_json_from()
        from channels.layers import get_channel_layer

        from moderation.events import user_group

        await get_channel_layer().group_send(user_group(people["volunteer"].pk),
                                             {"type": "force.disconnect", "reason": "test"})
        closed = await socket.receive_output(timeout=5)
        assert closed["type"] == "websocket.close"

    async_to_sync(scenario)()
