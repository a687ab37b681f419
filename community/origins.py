"""Which pages may open Harbour's sockets: only Harbour's own.

Channels' AllowedHostsOriginValidator compares the Origin's host name with ALLOWED_HOSTS and
nothing else, so a page served over plain http, or from another port on the same host, may still
open a socket with the member's cookie. Here the Origin must be the socket's own origin: the same
scheme, host and port as the address the browser connected to.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin1")
    return None


def _origin_tuple(origin: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin, or None when it isn't one (for example "null")."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    if (parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.username or parts.path
            or parts.query or parts.fragment):
        return None
    return parts.scheme, parts.hostname.lower(), port or DEFAULT_PORTS[parts.scheme]


def socket_origin(scope) -> tuple[str, str, int] | None:
    """The origin of the page that may open this socket: the Host the browser asked for, over
    https when the socket is secure. With secure session cookies (production mode) it always is:
    the browser sends the cookie only over TLS, even when a proxy in front speaks plain ws to
    daphne."""
    host = _header(scope, b"host")
    if not host:
        return None
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    secure = scope.get("scheme") == "wss" or settings.SESSION_COOKIE_SECURE
    return _origin_tuple(f"{'https' if secure else 'http'}://{host}")


def is_same_origin(scope) -> bool:
    origin = _header(scope, b"origin")
    expected = socket_origin(scope)
    return origin is not None and expected is not None and _origin_tuple(origin) == expected


class SameOriginValidator:
    """Refuses the WebSocket handshake (403) unless the Origin is the socket's own origin."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not is_same_origin(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
