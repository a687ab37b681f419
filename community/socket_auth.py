"""Channels' AuthMiddlewareStack for Harbour's sockets, less one cost on every frame.

Channels' session middleware wraps `send` to save a changed session and set its cookie on an
HTTP response. It asks the session whether it changed on every message it passes, though a
socket's messages can neither save a session nor carry a cookie: on the Wall that was about a
tenth of the CPU of handing an event to a socket (docs/performance.md). Here the messages that
cannot save pass straight through; the rest take channels' own path, so what is saved, and
when, is unchanged.
"""

from channels.auth import AuthMiddleware
from channels.sessions import CookieMiddleware, InstanceSessionWrapper, SessionMiddleware


class _SessionWrapper(InstanceSessionWrapper):
    async def send(self, message):
        if message["type"] not in self.save_message_types:
            return await self.real_send(message)
        return await super().send(message)


class _SessionMiddleware(SessionMiddleware):
    async def __call__(self, scope, receive, send):
        wrapper = _SessionWrapper(scope, send)
        await wrapper.resolve_session()
        return await self.inner(wrapper.scope, receive, wrapper.send)


def SocketAuthMiddlewareStack(inner):  # noqa: N802 - named like channels' AuthMiddlewareStack
    return CookieMiddleware(_SessionMiddleware(AuthMiddleware(inner)))
