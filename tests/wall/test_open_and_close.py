"""Connected browsers switch state at the minute the Wall opens or closes, without a reload."""

import zoneinfo
from datetime import datetime

import pytest
import time_machine
from asgiref.sync import async_to_sync

from tests.wall.conftest import wall_socket
from wall.models import WallEvent

pytestmark = pytest.mark.django_db(transaction=True)
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("start", "kind", "open_after"),
    [
        (datetime(2026, 11, 23, 16, 59, 58, tzinfo=LONDON), "close", False),
        (datetime(2026, 11, 23, 8, 59, 58, tzinfo=LONDON), "open", True),
    ],
)
def test_the_change_is_announced_live_once(people, talking, start, kind, open_after):
    with time_machine.travel(start, tick=True):
        first, second = wall_socket(people["member"]), wall_socket(people["volunteer"])

        async def scenario():
            await first.connect()
            await second.connect()
            hello = await first.receive_json_from(timeout=5)
            assert hello["open"] is (not open_after)
            for socket in (first, second):
                await socket.send_json_to({"type": "resume", "last_seq": hello["last_seq"]})
            for socket in (first, second):
                while True:
                    message = await socket.receive_json_from(timeout=8)
                    if message["type"] == "event" and message["payload"].get("changes_at"):
                        break
                assert message["kind"] == kind
            await first.send_json_to({"type": "state"})
            while (state := await first.receive_json_from(timeout=5))["type"] != "state":
                pass
            assert state["open"] is open_after
            await first.disconnect()
            await second.disconnect()

        async_to_sync(scenario)()
    assert WallEvent.objects.filter(kind=kind).count() == 1, "announced once, not per browser"
