import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from community.asgi import application
from tests.conftest import verify_second_factor


def session_cookie(user, *, second_factor=True) -> bytes:
    client = Client()
    client.force_login(user)
    if second_factor:
        verify_second_factor(client, user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={value}".encode()


def wall_socket(user, slug="talking-therapies", origin=b"http://testserver", cookie=None):
    headers = [(b"origin", origin), (b"host", b"testserver")]
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
