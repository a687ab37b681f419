"""Harbour's own ASGI application, plus the thread-page floor under /bench-floor/, in one daphne
process: the benchmark only. Production's URLs know nothing of the floor."""

from bench.floor_thread import application as floor
from community.asgi import application as harbour


async def application(scope, receive, send):
    if scope["type"] == "http" and scope["path"].startswith("/bench-floor/"):
        return await floor(scope, receive, send)
    return await harbour(scope, receive, send)
