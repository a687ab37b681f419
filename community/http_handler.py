"""Django's ASGI handler, with the middleware chain run as synchronous code: one hand-off to the
request's thread for the whole chain and its view, as Django's documentation intends for a site
whose middleware and views are all synchronous.

Django's own middleware are both sync- and async-capable, so under ASGI the chain is loaded for
async code up to the first middleware that can only run synchronously (Harbour's
`PrivatePagesMiddleware`). Each async-mode middleware built on `MiddlewareMixin` then runs its
hooks through `sync_to_async`, and the sync part of the chain calls back into the event loop
through `async_to_sync`: nine hand-offs between the loop and a thread a page, where three will
do (docs/performance.md, change 33; Django ticket #37177). Every Harbour view is synchronous and so
is every query, so nothing is gained by running the middleware on the loop.

Loaded as WSGI loads it, the chain is the one the test suite's client runs, and the request still
arrives and leaves through Django's ASGI code: reading the body, the disconnect watch, the
request signals and the chunked response are Django's own.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler


class SyncStackASGIHandler(ASGIHandler):
    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)

    async def get_response_async(self, request):
        # Within the request's ThreadSensitiveContext (ASGIHandler.__call__), in the thread that
        # also runs the request signals: the request's database connection is opened and given
        # back in one thread, and so is an error page's. Django's handler renders error pages
        # (404, 403, 500) on a shared thread of its own instead, where a signed-in member's page
        # opens a connection that no request signal gives back: with the pool, one connection
        # kept out of it for good by each such thread.
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)
