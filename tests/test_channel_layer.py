"""The Redis channel layers, as settings.py builds them, keep an idle socket's wait for its next
message alive: redis-py 8 stops reading after 5 seconds by default, which cut the core layer's
blocking 5-second wait short, crashed the consumer and closed the browser's socket.
Needs Redis: it fails, never skips, when Redis is not there."""

from __future__ import annotations

import asyncio

import pytest
from django.utils.module_loading import import_string

from community.settings import channel_layers
from tests.live_servers import shared_redis_url

IDLE_SECONDS = 6.5  # longer than redis-py 8's default read timeout of 5 seconds


@pytest.mark.parametrize("kind", ["core", "pubsub"])
def test_a_socket_idle_longer_than_redis_read_timeout_still_gets_its_message(kind):
    config = channel_layers(shared_redis_url(), kind)["default"]
    # A prefix of its own: flushing at the end empties only this test's keys.
    layer = import_string(config["BACKEND"])(**{**config["CONFIG"], "prefix": "layer-test"})

    async def scenario():
        channel = await layer.new_channel()
        waiting = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(IDLE_SECONDS)
        assert not waiting.done(), f"the wait ended early: {waiting.exception()!r}"
        await layer.send(channel, {"type": "wall.event", "seq": 1})
        message = await asyncio.wait_for(waiting, 10)
        assert message["seq"] == 1
        await layer.flush()

    asyncio.run(scenario())


def test_the_layer_is_chosen_by_name():
    assert channel_layers("redis://x:6379/0", "pubsub")["default"]["BACKEND"] == (
        "channels_redis.pubsub.RedisPubSubChannelLayer")
    assert channel_layers("redis://x:6379/0", "core")["default"]["BACKEND"] == (
        "channels_redis.core.RedisChannelLayer")
