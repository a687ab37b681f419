"""Which pages may open Harbour's sockets: the Origin matrix, for both sockets, with and without a
signed-in session. Only Harbour's own origin with a session connects.

Harbour's origin here is https://testserver: the socket arrives over TLS (scheme wss), as it does
in production.
"""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator

from community.asgi import application
from tests.wall.conftest import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

ALLOWED = b"https://testserver"
REFUSED_ORIGINS = {
    "http variant": b"http://testserver",
    "another port": b"https://testserver:8443",
    "evil.example": b"https://evil.example",
    "allowed host as a subdomain of evil": b"https://testserver.evil.example",
    "null": b"null",
    "missing": None,
    "a path after the origin": b"https://testserver/wall",
    "credentials in the origin": b"https://someone@testserver",
    "a query after the origin": b"https://testserver?x",
    "a fragment after the origin": b"https://testserver#x",
    "not a URL": b"::::",
}
SOCKETS = {"wall": "/ws/wall/talking-therapies/", "moderation": "/ws/moderation/"}


def socket(path, *, origin, cookie, host=b"testserver", scheme="wss"):
    headers = [(b"host", host)]
    if origin is not None:
        headers.append((b"origin", origin))
    if cookie:
        headers.append((b"cookie", cookie))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    communicator.scope["scheme"] = scheme
    return communicator


def connects(communicator) -> bool:
    async def attempt():
        connected, _ = await communicator.connect(timeout=5)
        await communicator.disconnect()
        return connected

    return async_to_sync(attempt)()


@pytest.fixture
def moderator_cookie(people, talking, in_office_hours):
    # The volunteer moderates and holds the talking-therapies key, so both sockets admit them.
    return session_cookie(people["volunteer"])


@pytest.mark.parametrize("path", SOCKETS.values(), ids=SOCKETS.keys())
def test_harbours_own_origin_with_a_session_connects(path, moderator_cookie):
    assert connects(socket(path, origin=ALLOWED, cookie=moderator_cookie))


@pytest.mark.parametrize("path", SOCKETS.values(), ids=SOCKETS.keys())
def test_harbours_own_origin_without_a_session_is_refused(path, talking, in_office_hours):
    assert not connects(socket(path, origin=ALLOWED, cookie=None))


@pytest.mark.parametrize("path", SOCKETS.values(), ids=SOCKETS.keys())
@pytest.mark.parametrize("origin", REFUSED_ORIGINS.values(), ids=REFUSED_ORIGINS.keys())
@pytest.mark.parametrize("with_session", [True, False], ids=["session", "no-session"])
def test_every_other_origin_is_refused(path, origin, with_session, moderator_cookie):
    cookie = moderator_cookie if with_session else None
    assert not connects(socket(path, origin=origin, cookie=cookie))


@pytest.mark.parametrize("path", SOCKETS.values(), ids=SOCKETS.keys())
def test_a_host_harbour_does_not_serve_is_refused_even_when_origin_matches_it(
    path, moderator_cookie
):
    assert not connects(socket(path, origin=b"https://evil.example", cookie=moderator_cookie,
                               host=b"evil.example"))


def test_behind_a_tls_proxy_the_origin_must_still_be_https(settings, moderator_cookie):
    """The proxy speaks plain ws to daphne; secure cookies mean the page was https."""
    settings.SESSION_COOKIE_SECURE = True
    path = SOCKETS["wall"]
    assert connects(socket(path, origin=ALLOWED, cookie=moderator_cookie, scheme="ws"))
    assert not connects(socket(path, origin=b"http://testserver", cookie=moderator_cookie,
                               scheme="ws"))


def test_in_development_over_plain_http_the_http_origin_is_the_own_one(moderator_cookie):
    path = SOCKETS["wall"]
    assert connects(socket(path, origin=b"http://testserver", cookie=moderator_cookie,
                           scheme="ws"))
    assert connects(socket(path, origin=b"http://TestServer:80", cookie=moderator_cookie,
                           scheme="ws"))
    assert not connects(socket(path, origin=b"https://testserver", cookie=moderator_cookie,
                               scheme="ws"))
    assert not connects(socket(path, origin=b"http://testserver:8000", cookie=moderator_cookie,
                               scheme="ws"))
