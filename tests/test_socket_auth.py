"""The sockets' middleware stack (community/socket_auth.py): channels' AuthMiddlewareStack with
the session check skipped for messages that cannot save a session. Who the socket belongs to,
and what is saved when, must be as with channels' own stack."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.auth import AuthMiddlewareStack
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from community.socket_auth import SocketAuthMiddlewareStack

pytestmark = pytest.mark.django_db(transaction=True)

FRAMES = [{"type": "websocket.accept"}, {"type": "websocket.send", "text": "hello"},
          {"type": "websocket.close", "code": 1000}]


def app_that(messages: list[dict], seen: dict):
    """An inner application that records who the stack says is there, changes the session and
    sends `messages`."""

    async def app(scope, receive, send):
        seen["user"] = scope["user"].pk
        scope["session"]["touched"] = True
        for message in messages:
            await send(message)

    return app


def through(stack, scope_type: str, messages: list[dict], cookie: str):
    seen, sent = {}, []

    async def receive():
        return {"type": f"{scope_type}.connect" if scope_type == "websocket" else "http.request"}

    async def send(message):
        sent.append(message)

    scope = {"type": scope_type, "path": "/", "headers": [(b"cookie", cookie.encode())]}
    async_to_sync(stack(app_that(messages, seen)))(scope, receive, send)
    return seen, sent


@pytest.fixture
def cookie(people):
    browser = Client()
    browser.force_login(people["member"])
    return f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"


@pytest.mark.parametrize("stack", [AuthMiddlewareStack, SocketAuthMiddlewareStack])
def test_a_sockets_frames_pass_unchanged_and_save_nothing(stack, people, cookie):
    seen, sent = through(stack, "websocket", [dict(frame) for frame in FRAMES], cookie)
    assert seen["user"] == people["member"].pk
    assert sent == FRAMES
    [session] = Session.objects.all()
    assert "touched" not in session.get_decoded()


@pytest.mark.parametrize("stack", [AuthMiddlewareStack, SocketAuthMiddlewareStack])
def test_a_response_that_can_carry_a_cookie_still_saves_the_changed_session(stack, cookie):
    response = [{"type": "http.response.start", "status": 200, "headers": []},
                {"type": "http.response.body", "body": b"ok"}]
    _, sent = through(stack, "http", response, cookie)
    [session] = Session.objects.all()
    assert session.get_decoded()["touched"] is True
    cookies = [value for name, value in sent[0]["headers"] if name == b"Set-Cookie"]
    assert len(cookies) == 1 and cookies[0].startswith(settings.SESSION_COOKIE_NAME.encode())
