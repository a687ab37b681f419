"""Faults, against real servers: Redis stopped and started again under a live Wall, the database
connection cut, a daphne process restarted. Members must lose nothing they were told was sent,
see nothing twice, and be back live within seconds."""

from __future__ import annotations

import asyncio
import signal
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection

from tests.conftest import missing_outside_ci
from tests.live_servers import (
    PRODUCTION_SECRET_KEY,
    CuttableProxy,
    Daphne,
    PrivateRedis,
    WallClient,
    cookie_for,
    database_url,
    production_environment,
    server_environment,
)
from wall.models import WallMessage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.server]

BACK_LIVE_WITHIN_SECONDS = 10
# In every body posted: the server's log, full of tracebacks from the faults, must not show it.
CANARY = "canary-7f3a91-body-text"
# The poster here is a test's steady stream, not a person: the Wall's rate limit stays out of it.
QUICK_POSTING = {"HARBOUR_WALL_MESSAGES_PER_MINUTE": "1000"}


async def wait_until(condition, seconds: float, what: str, *clients: WallClient) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what} {clients}")
        await asyncio.sleep(0.05)


def assert_caught_up_exactly_once(reader: WallClient, poster: WallClient) -> None:
    acknowledged = set(poster.acked.values())
    assert acknowledged <= set(reader.shown), "an acknowledged message never reached the reader"
    assert len(reader.shown) == len(set(reader.shown)), "a message was shown twice"
    seqs = reader.applied_seqs
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), "the reader's events have a gap"


async def talking_before_the_fault(port: int, cookies) -> tuple[WallClient, WallClient, list]:
    """A poster and a reader on the Wall, the first five messages delivered."""
    poster, reader = WallClient(port, cookies[0], "poster"), WallClient(port, cookies[1], "reader")
    tasks = [asyncio.ensure_future(client.run()) for client in (poster, reader)]
    await wait_until(lambda: poster.connections and reader.connections, 10, "connected")
    await post_steadily(poster, "before", 5, 0.1)
    await wait_until(lambda: len(reader.shown) == 5, 10, "first five delivered")
    return poster, reader, tasks


async def stop_all(tasks, *clients: WallClient) -> None:
    for client in clients:
        await client.stop()
    await asyncio.wait(tasks, timeout=10)


async def post_steadily(poster: WallClient, prefix: str, count: int, every: float) -> None:
    for n in range(count):
        await poster.post(f"{prefix}-{n:04d}", f"{prefix} message {n} {CANARY}")
        await asyncio.sleep(every)


@pytest.fixture
def wall_people(people, talking):
    # Moderators may post outside office hours, so these tests hold on any day.
    return cookie_for(people["volunteer"]), cookie_for(people["member"])


@pytest.mark.parametrize("layer", ["pubsub", "core"])
def test_redis_restarted_under_a_live_wall(wall_people, layer):
    """Both channel layers Harbour offers (HARBOUR_CHANNEL_LAYER; pubsub is the default)."""
    private_redis = PrivateRedis().start()
    server = Daphne(server_environment(private_redis.url, HARBOUR_CHANNEL_LAYER=layer,
                                       **QUICK_POSTING)).start()
    try:
        async def scenario():
            poster, reader, tasks = await talking_before_the_fault(server.port, wall_people)

            private_redis.kill()
            await post_steadily(poster, "during", 5, 0.2)
            private_redis.start()
            restarted_at = time.monotonic()

            await post_steadily(poster, "after", 10, 0.2)
            await wait_until(lambda: not poster.pending, 30, "every post acknowledged", poster,
                             reader)
            last = poster.acked["after-0009"]
            await wait_until(lambda: last in reader.received_at, BACK_LIVE_WITHIN_SECONDS,
                             "the reader live again")
            back_live = min(reader.received_at[id_] for client_id, id_ in poster.acked.items()
                            if client_id.startswith("after"))
            assert back_live - restarted_at <= BACK_LIVE_WITHIN_SECONDS
            await wait_until(lambda: set(poster.acked.values()) <= set(reader.shown), 10,
                             "the reader caught up")
            await stop_all(tasks, poster, reader)
            assert_caught_up_exactly_once(reader, poster)
            assert len(poster.acked) == 20

        asyncio.run(scenario())
    finally:
        log = server.stop()
        private_redis.kill()
    assert CANARY not in log, "a message body reached the server's log"


def test_daphne_restarted_clients_reconnect_and_catch_up(wall_people):
    server = Daphne(server_environment(None, **QUICK_POSTING)).start()
    try:
        async def scenario():
            poster, reader, tasks = await talking_before_the_fault(server.port, wall_people)

            server.stop(signal.SIGKILL)
            await post_steadily(poster, "during", 3, 0.1)
            await asyncio.get_running_loop().run_in_executor(None, server.start)

            await post_steadily(poster, "after", 5, 0.1)
            await wait_until(lambda: not poster.pending, 30, "every post acknowledged", poster,
                             reader)
            await wait_until(lambda: set(poster.acked.values()) <= set(reader.shown),
                             BACK_LIVE_WITHIN_SECONDS, "the reader caught up")
            assert reader.connections >= 2 and poster.connections >= 2
            await stop_all(tasks, poster, reader)
            assert_caught_up_exactly_once(reader, poster)
            assert len(poster.acked) == 13

        asyncio.run(scenario())
    finally:
        log = server.stop()
    assert CANARY not in log, "a message body reached the server's log"


def postgresql_port() -> int:
    if connection.vendor != "postgresql":
        missing_outside_ci("This test needs PostgreSQL: set DATABASE_URL (CI does).")
    return int(connection.settings_dict["PORT"] or 5432)


def get(port: int, path: str, cookie: str) -> tuple[int, str, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def test_database_cut_off_gives_a_clean_error_then_recovers(people, talking, settings):
    settings.SECRET_KEY = PRODUCTION_SECRET_KEY
    poster_cookie, reader_cookie = cookie_for(people["volunteer"]), cookie_for(people["member"])
    proxy = CuttableProxy(postgresql_port())
    # Production's own way of keeping connections, whatever it is (DATABASE_* left unset).
    environment = production_environment(None, DATABASE_URL=database_url(port=proxy.port),
                                         **QUICK_POSTING)
    server = Daphne(environment).start()
    try:
        assert get(server.port, "/", reader_cookie)[0] == 200

        async def scenario():
            poster = WallClient(server.port, poster_cookie, "poster", page_scheme="https")
            task = asyncio.ensure_future(poster.run())
            await wait_until(lambda: poster.connections, 10, "connected", poster)
            await poster.post("before-0001", "Before the fault")
            await wait_until(lambda: "before-0001" in poster.acked, 10, "acknowledged", poster)

            proxy.cut()
            status, page, headers = await asyncio.to_thread(get, server.port, "/", reader_cookie)
            assert status == 503 and headers["Retry-After"] == "30"
            assert "Sorry, there is a problem with the service" in page
            assert "Urgent help" in page
            for detail in ("Traceback", "OperationalError", "psycopg", str(proxy.port)):
                assert detail not in page, f"the error page shows {detail}"
            await poster.post("during-0001", f"While the database is away {CANARY}")
            await wait_until(lambda: any(e["code"] == "failed" for e in poster.errors), 10,
                             "a clean error event", poster)
            assert poster.pending == {"during-0001": f"While the database is away {CANARY}"}

            proxy.mend()
            await wait_until(lambda: "during-0001" in poster.acked, 15,
                             "the kept message sent once the database is back", poster)
            status, _, _ = await asyncio.to_thread(get, server.port, "/", reader_cookie)
            assert status == 200
            await poster.stop()
            await asyncio.wait([task], timeout=10)
            assert poster.connections == 1, "the socket stayed open through the fault"

        asyncio.run(scenario())
    finally:
        log = server.stop()
        proxy.close()
    assert CANARY not in log, "a message body reached the server's log"
    assert WallMessage.objects.filter(client_id="during-0001").count() == 1
