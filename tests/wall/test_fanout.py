"""One listener per Wall per process (wall/fanout.py): however many sockets a process holds on a
Wall, it joins the Wall's group once and leaves it with the last socket; every socket still gets
each event once and in order; one broken socket or a channel-layer failure stops nobody else."""

import asyncio

import pytest
from channels.layers import get_channel_layer

from tests.wall.conftest import wall_socket
from tests.wall.test_consumer import connect, next_event, run
from wall import fanout
from wall.events import wall_group

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def group_calls(monkeypatch):
    """Every group_add and group_discard of the Wall's group, as (what, channel)."""
    layer = get_channel_layer()
    calls = []
    for name in ("group_add", "group_discard"):
        original = getattr(layer, name)

        async def recorded(group, channel, original=original, name=name):
            if group.startswith("wall."):
                calls.append((name, group, channel))
            return await original(group, channel)

        monkeypatch.setattr(layer, name, recorded)
    return calls


ROLES = ("member", "volunteer", "peer_supporter")


def listener_on(space):
    """The Wall's listener in this process."""
    return fanout._listeners_here()[(id(get_channel_layer()), space.pk)]


def post(socket, client_id, body):
    return socket.send_json_to({"type": "post", "client_id": client_id, "body": body})


def test_many_sockets_share_one_listener_and_each_gets_every_event_once(
        people, talking, in_office_hours, group_calls):
    sockets = [wall_socket(people[role]) for role in ROLES]

    async def scenario():
        for socket in sockets:
            await connect(socket)
        group = wall_group(talking.pk)
        assert [(what, name) for what, name, _ in group_calls] == [("group_add", group)]
        for n in range(3):
            await post(sockets[n], f"fanout-000{n}", f"Message {n}")
        for socket in sockets:
            bodies = [(await next_event(socket, "message"))["payload"]["body_html"]
                      for _ in range(3)]
            assert bodies == ["<p>Message 0</p>", "<p>Message 1</p>", "<p>Message 2</p>"]
            assert await socket.receive_nothing(timeout=0.3)
        for socket in sockets[:2]:
            await socket.disconnect()
        assert len(group_calls) == 1, "the listener stays while a socket is on the Wall"
        await sockets[2].disconnect()
        listener_channel = group_calls[0][2]
        assert group_calls[1:] == [("group_discard", group, listener_channel)]

    run(scenario)


def test_a_broken_socket_does_not_stop_the_others(people, talking, in_office_hours):
    writer, reader = wall_socket(people["member"]), wall_socket(people["volunteer"])

    async def scenario():
        await connect(writer)
        await connect(reader)
        listener = listener_on(talking)
        broken = next(iter(listener.sockets))  # the first served: the writer, first to come
        assert broken.user.pk == people["member"].pk

        async def fails(**_):
            raise ConnectionError("this socket's connection is gone")

        broken.send = fails
        await post(reader, "fanout-0100", "Still here")
        event = await next_event(reader, "message")
        assert event["payload"]["client_id"] == "fanout-0100"
        await reader.disconnect()
        await writer.disconnect()

    run(scenario)


def test_the_listener_comes_back_after_the_channel_layer_fails(
        people, talking, in_office_hours, monkeypatch):
    layer = get_channel_layer()
    original_receive = layer.receive
    failures = []

    async def fails_once(channel):
        listening = {listener.channel for listener in fanout._listeners_here().values()}
        if channel in listening and not failures:
            failures.append(channel)
            await asyncio.sleep(0)
            raise ConnectionError("Redis went away")
        return await original_receive(channel)

    monkeypatch.setattr(layer, "receive", fails_once)
    writer, reader = wall_socket(people["member"]), wall_socket(people["volunteer"])

    async def scenario():
        await connect(writer)
        await connect(reader)
        await post(writer, "fanout-0200", "After the failure")
        event = await next_event(reader, "message", timeout=10)
        assert event["payload"]["client_id"] == "fanout-0200"
        assert failures, "the listener's receive failed once"
        await reader.disconnect()
        await writer.disconnect()

    run(scenario)


def test_a_socket_that_ends_without_disconnecting_is_let_go(people, talking, in_office_hours,
                                                            group_calls):
    """A socket's task can end without disconnect() (it crashed, or the core layer lost Redis
    under it): the listener must not keep serving it, nor keep listening for nobody."""
    socket = wall_socket(people["member"])

    async def scenario():
        await connect(socket)
        assert fanout._listeners_here()
        socket.future.cancel()
        for _ in range(100):  # the listener's stop is scheduled as the task ends
            if len(group_calls) == 2:
                break
            await asyncio.sleep(0.02)
        assert not fanout._listeners_here()
        assert [what for what, *_ in group_calls] == ["group_add", "group_discard"]

    run(scenario)




@pytest.fixture
def turns_of_one_socket(monkeypatch):
    monkeypatch.setattr(fanout, "SOCKETS_PER_TURN", 1, raising=False)


async def connected_listener(sockets, space):
    """Connect every socket; the Wall's listener in this process, serving them in that order."""
    for socket in sockets:
        await connect(socket)
    return listener_on(space)


def serving_log(listener, log, *, first_served=None):
    """Record each socket the listener serves, by user; `first_served` runs as the first is."""
    for socket in list(listener.sockets):
        original = socket.wall_event_shared

        async def recorded(event, text, socket=socket, original=original):
            if event.get("kind") == "message":
                log.append(socket.user.pk)
                if first_served is not None and len(log) == 1:
                    first_served()
            return await original(event, text)

        socket.wall_event_shared = recorded


def test_a_large_walls_hand_out_leaves_turns_for_other_work(people, talking, in_office_hours,
                                                           turns_of_one_socket):
    """Handing one message to a thousand sockets takes tens of milliseconds: a poster's
    acknowledgement, or another member's frame, must not wait for the whole of it."""
    sockets = [wall_socket(people[role]) for role in ROLES]

    async def scenario():
        listener = await connected_listener(sockets, talking)
        log = []
        loop = asyncio.get_running_loop()
        serving_log(listener, log, first_served=lambda: loop.call_soon(log.append, "other"))
        await post(sockets[0], "fanout-0300", "Hello, all")
        for socket in sockets:
            await next_event(socket, "message")
        member, volunteer, peer = (people[role].pk for role in ROLES)
        assert log == [member, "other", volunteer, peer]
        for socket in sockets:
            await socket.disconnect()

    run(scenario)


def test_a_socket_that_leaves_during_a_hand_out_is_not_served(people, talking, in_office_hours,
                                                              turns_of_one_socket):
    sockets = [wall_socket(people[role]) for role in ROLES]

    async def scenario():
        listener = await connected_listener(sockets, talking)
        leaving = list(listener.sockets)[2]
        log = []
        serving_log(listener, log,
                    first_served=lambda: fanout.wall_forget(leaving, talking.pk))
        await post(sockets[0], "fanout-0400", "Hello, all")
        for socket in sockets[:2]:
            await next_event(socket, "message")
        assert await sockets[2].receive_nothing(timeout=0.3)
        assert log == [people["member"].pk, people["volunteer"].pk]
        for socket in sockets:
            await socket.disconnect()

    run(scenario)
