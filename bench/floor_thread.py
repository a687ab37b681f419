"""The floor of the thread-page scenario, served by the same daphne process as Harbour
(bench.asgi sends /bench-floor/ here): for the reader named by the session cookie, run the very
SQL statements Harbour's thread page ran for that reader (captured beforehand, in order) through
a raw psycopg cursor, then answer with the page's bytes rendered beforehand. No middleware, ORM or
templates. The connection comes the way Harbour's own do: from a pool of the same size, checked
before use, when Harbour's settings pool connections (DATABASE_POOL_SIZE), or else freshly made,
as Django does with DATABASE_CONN_MAX_AGE=0.

BENCH_FLOOR_FILE names the JSON written by the harness: {session key: {"sql": [...],
"body": "..."}}.
"""

from __future__ import annotations

import asyncio
import json
import os
from http.cookies import SimpleCookie

import psycopg
from django.conf import settings
from psycopg_pool import AsyncConnectionPool

PAGES: dict[str, dict] = {}
POOLS: list[AsyncConnectionPool] = []
POOL_MADE = asyncio.Lock()


def _load() -> None:
    if not PAGES:
        with open(os.environ["BENCH_FLOOR_FILE"]) as source:
            for key, page in json.load(source).items():
                PAGES[key] = {"sql": page["sql"], "body": page["body"].encode()}


def _session_key(scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            morsel = SimpleCookie(value.decode()).get("sessionid")
            return morsel.value if morsel else ""
    return ""


async def _pool() -> AsyncConnectionPool | None:
    """Harbour's pool settings, on an asyncio pool of the floor's own."""
    options = settings.DATABASES["default"].get("OPTIONS", {}).get("pool")
    if not options:
        return None
    async with POOL_MADE:  # the first readers arrive together
        if not POOLS:
            pool = AsyncConnectionPool(os.environ["DATABASE_URL"], kwargs={"autocommit": True},
                                       check=AsyncConnectionPool.check_connection, open=False,
                                       **options)
            await pool.open()
            POOLS.append(pool)
    return POOLS[0]


async def _run(connection, statements: list[str]) -> None:
    async with connection.cursor() as cursor:
        for statement in statements:
            await cursor.execute(statement.encode())
            if cursor.description is not None:
                await cursor.fetchall()


async def application(scope, receive, send):
    if scope["type"] != "http":
        return
    _load()
    page = PAGES.get(_session_key(scope))
    if page is None:
        await send({"type": "http.response.start", "status": 403, "headers": []})
        await send({"type": "http.response.body", "body": b"unknown reader"})
        return
    pool = await _pool()
    if pool is None:
        connection = await psycopg.AsyncConnection.connect(os.environ["DATABASE_URL"],
                                                           autocommit=True)
        try:
            await _run(connection, page["sql"])
        finally:
            await connection.close()
    else:
        async with pool.connection() as connection:
            await _run(connection, page["sql"])
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/html; charset=utf-8"),
                            (b"content-length", str(len(page["body"])).encode())]})
    await send({"type": "http.response.body", "body": page["body"]})
