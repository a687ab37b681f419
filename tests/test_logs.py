"""A canary: what members write, and session keys, never reach the logs."""

import logging
import zoneinfo
from datetime import datetime

import time_machine
from django.conf import settings as django_settings
from django.urls import reverse

from forums.models import Category

CANARY = "canary-7f3e9b-private-words"


def test_posts_wall_messages_and_session_keys_stay_out_of_the_logs(client_for, people, talking,
                                                                   settings, caplog):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    Category.objects.create(space=talking, name="Staying well", slug="staying-well")
    with caplog.at_level(logging.DEBUG):
        client = client_for(people["member"])
        client.post(reverse("forums:new_thread", args=["talking-therapies", "staying-well"]),
                    {"title": f"Title {CANARY}", "body": f"Body {CANARY}"})
        client.post(reverse("forums:new_thread", args=["talking-therapies", "staying-well"]),
                    {"title": "", "body": f"Invalid {CANARY}"})  # a 400 is logged
        with time_machine.travel(datetime(2026, 11, 23, 10, tzinfo=zoneinfo.ZoneInfo(
                "Europe/London")), tick=True):
            wall = client_for(people["member"])
            wall.post(reverse("wall:post", args=["talking-therapies"]),
                      {"client_id": "canary-msg-1", "body": f"Wall {CANARY}"})
            wall.post(reverse("wall:post", args=["talking-therapies"]),
                      {"client_id": "x", "body": f"Refused {CANARY}"})  # a 400
        session_key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged, "the actions above do produce log lines"
    assert CANARY not in logged
    assert session_key not in logged
