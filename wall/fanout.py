"""One listener per Wall per process, instead of one per socket.

Every Wall event used to reach every socket through its own channel: a channel-layer receive, a
dispatch and a JSON encoding per socket, which is where nearly all of the server's CPU went at a
thousand members (docs/performance.md). Here each process listens to a Wall's group once while
any of its sockets is on that Wall, encodes each event once, and hands the same text to each local
socket, which decides for itself (held messages, catch-up, repeats) whether to send it.

Listeners belong to the running event loop and to the channel layer they were started with, so
a test's loop or a flushed in-memory layer never sees another's.
"""

from __future__ import annotations

import asyncio
import logging
import weakref

from channels.layers import get_channel_layer

from wall.events import event_frame, wall_group

logger = logging.getLogger(__name__)
# The core Redis layer forgets a group member after a day (group_expiry), and a Redis restart
# forgets every one; a listener lives as long as its Wall has sockets, so it renews its membership
# every minute (one small write to Redis).
RENEW_MEMBERSHIP_SECONDS = 60
RETRY_SECONDS = (0.5, 1, 2, 5)
# Sockets served between turns of the event loop. Handing an event to a thousand sockets takes
# tens of milliseconds, and everything else the process has to do on the loop meanwhile (the
# poster's acknowledgement, other sockets' frames, handshakes) would wait for the whole of it.
SOCKETS_PER_TURN = 100


class WallListener:
    """The sockets of one process on one Wall, and the task that feeds them."""

    def __init__(self, layer, space_id: int):
        self.layer = layer
        self.group = wall_group(space_id)
        self.sockets: dict = {}  # an ordered set: sockets are served in the order they came
        self.channel: str | None = None
        self.tasks: list[asyncio.Task] = []
        self.started = asyncio.ensure_future(self._start())

    async def _start(self) -> None:
        self.channel = await self.layer.new_channel()
        try:
            await self.layer.group_add(self.group, self.channel)
        except BaseException:
            # The pub/sub layer records the member before it subscribes: take it back, or its
            # queue would collect every event of this Wall from then on.
            await self._leave_quietly()
            raise
        self.tasks = [asyncio.ensure_future(self._listen()),
                      asyncio.ensure_future(self._renew_membership())]

    async def _leave_quietly(self) -> None:
        try:
            await self.layer.group_discard(self.group, self.channel)
        except Exception:
            logger.warning("Wall listener for %s could not leave its group", self.group)

    async def stop(self) -> None:
        try:
            await self.started
        except Exception:
            return  # it never joined the group
        for task in self.tasks:
            task.cancel()
        await self.layer.group_discard(self.group, self.channel)

    async def _listen(self) -> None:
        failures = 0
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                # Redis went away (the core layer raises; pub/sub reconnects by itself) and took
                # the group with it: join again before listening again. Events missed meanwhile
                # are in the database: browsers see the gap and ask for them.
                logger.warning("Wall listener for %s lost the channel layer; retrying",
                               self.group, exc_info=True)
                while True:
                    await asyncio.sleep(RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)])
                    failures += 1
                    if await self._rejoin():
                        break
                continue
            failures = 0
            if message.get("type") == "wall.event":
                try:
                    await self._hand_out(message)
                except Exception:
                    logger.exception("Wall event %s not handed out", message.get("seq"))

    async def _hand_out(self, event: dict) -> None:
        text = event_frame(event)
        for served, socket in enumerate(list(self.sockets)):
            if served and not served % SOCKETS_PER_TURN:
                await asyncio.sleep(0)
            if socket not in self.sockets:  # it left while others were served
                continue
            try:
                await socket.wall_event_shared(event, text)
            except Exception:
                logger.exception("Wall event not delivered to one socket of user %s",
                                 getattr(socket.user, "pk", None))

    async def _rejoin(self) -> bool:
        try:
            await self.layer.group_add(self.group, self.channel)
        except Exception:
            logger.warning("Wall listener for %s could not rejoin yet", self.group)
            return False
        return True

    async def _renew_membership(self) -> None:
        while True:
            await asyncio.sleep(RENEW_MEMBERSHIP_SECONDS)
            await self._rejoin()


# {event loop: {(channel layer id, space id): listener}}
_listeners: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _listeners_here() -> dict:
    return _listeners.setdefault(asyncio.get_running_loop(), {})


async def wall_listen(socket, space_id: int) -> None:
    """Start handing this Wall's events to `socket` (a WallConsumer)."""
    layer = get_channel_layer()
    listeners = _listeners_here()
    key = (id(layer), space_id)
    listener = listeners.get(key)
    if listener is None or listener.layer is not layer:
        listener = listeners[key] = WallListener(layer, space_id)
    listener.sockets[socket] = None
    try:
        await asyncio.shield(listener.started)
    except BaseException:
        # The layer was down as it started (the next socket to arrive starts afresh), or the
        # connection went while waiting.
        listener.sockets.pop(socket, None)
        if not listener.sockets and listeners.get(key) is listener:
            del listeners[key]
            asyncio.ensure_future(listener.stop())
        raise


def wall_forget(socket, space_id: int) -> WallListener | None:
    """Stop handing events to `socket` at once; returns the listener to stop if it was the
    Wall's last socket here. Synchronous, so a socket whose task is ending can always call it."""
    listeners = _listeners_here()
    key = (id(get_channel_layer()), space_id)
    listener = listeners.get(key)
    if listener is None or listener.sockets.pop(socket, False) is False:
        return None
    if listener.sockets:
        return None
    del listeners[key]
    return listener


async def wall_unlisten(socket, space_id: int) -> None:
    """Stop handing events to `socket`; the last socket of a Wall stops its listener."""
    listener = wall_forget(socket, space_id)
    if listener is not None:
        await listener.stop()
