"""ASGI entry point: HTTP through Django, WebSockets through Channels.

Sockets must come from Harbour's own pages (the same scheme, host and port; see
community/origins.py) and carry the signed-in session.
"""

import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
django.setup(set_prefix=False)  # as django.core.asgi.get_asgi_application does

from community.http_handler import SyncStackASGIHandler  # noqa: E402 - needs Django set up

# Pages run their middleware and view in one worker thread (community/http_handler.py).
django_asgi_app = SyncStackASGIHandler()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402 - needs Django set up
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from community.eager_writes import write_eagerly  # noqa: E402
from community.origins import SameOriginValidator  # noqa: E402
from community.socket_auth import SocketAuthMiddlewareStack  # noqa: E402
from moderation.routing import websocket_urlpatterns as moderation_sockets  # noqa: E402
from wall.routing import websocket_urlpatterns as wall_sockets  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            SameOriginValidator(
                SocketAuthMiddlewareStack(URLRouter(wall_sockets + moderation_sockets)))
        ),
    }
)

# A server holding a thousand sockets keeps a large heap of long-lived objects, and each full
# garbage collection walks all of it: those pauses were most of the Wall's p99 delivery latency
# (docs/performance.md). What was loaded at start-up is never garbage, so it is frozen out of the
# collector's walks, and the young generation is collected less often.
gc.freeze()
gc.set_threshold(100_000, 50, 1000)

# Each frame is written to its socket at once rather than on the event loop's next turn
# (community/eager_writes.py): a fifth less CPU per Wall delivery.
write_eagerly()
