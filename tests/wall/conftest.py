import zoneinfo
from datetime import datetime

import pytest
import time_machine
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from community.asgi import application
from tests.conftest import verify_second_factor

LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
SATURDAY_10AM = datetime(2026, 11, 21, 10, 0, tzinfo=LONDON)


@pytest.fixture
def in_office_hours():
    """A Monday morning, when the Wall is open (sessions are made inside, so they are valid)."""
    with time_machine.travel(MONDAY_10AM, tick=True) as traveller:
        yield traveller


@pytest.fixture
def out_of_hours():
    with time_machine.travel(SATURDAY_10AM, tick=True) as traveller:
        yield traveller


def session_cookie(user, *, second_factor=True) -> bytes:
    client = Client()
    client.force_login(user)
    if second_factor:
        verify_second_factor(client, user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={value}".encode()


def wall_socket(user, slug="talking-therapies", origin=b"http://testserver", cookie=None):
    headers = [(b"origin", origin)]
    cookie = cookie if cookie is not None else (session_cookie(user) if user else None)
    if cookie:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(application, f"/ws/wall/{slug}/", headers=headers)


@pytest.fixture
def risk_phrases(db):
    """The seeded phrases (transactional tests empty the tables that migrations filled)."""
    from moderation.models import RiskPhrase
    from moderation.risk import DEFAULT_PHRASES

    for tier, phrases in DEFAULT_PHRASES.items():
        for phrase in phrases:
            RiskPhrase.objects.get_or_create(phrase=phrase, defaults={"tier": tier})
