"""The floor of the thread-page scenario, served by the same daphne process as Harbour
(bench.asgi sends /bench-floor/ here): for the reader named by the session cookie, run the very
SQL statements Harbour's thread page ran for that reader (captured beforehand, in order) through
a raw psycopg cursor on a fresh connection, as Django does with DATABASE_CONN_MAX_AGE=0, then
answer with the page's bytes rendered beforehand. No middleware, ORM or templates.

BENCH_FLOOR_FILE names the JSON written by the harness: {session key: {"sql": [...],
"body": "..."}}.
"""

from __future__ import annotations

import json
import os
from http.cookies import SimpleCookie

import psycopg

PAGES: dict[str, dict] = {}


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


async def application(scope, receive, send):
    if scope["type"] != "http":
        return
    _load()
    page = PAGES.get(_session_key(scope))
    if page is None:
        await send({"type": "http.response.start", "status": 403, "headers": []})
        await send({"type": "http.response.body", "body": b"unknown reader"})
        return
    connection = await psycopg.AsyncConnection.connect(os.environ["DATABASE_URL"],
                                                       autocommit=True)
    try:
        async with connection.cursor() as cursor:
            for statement in page["sql"]:
                await cursor.execute(statement.encode())
                if cursor.description is not None:
                    await cursor.fetchall()
    finally:
        await connection.close()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/html; charset=utf-8"),
                            (b"content-length", str(len(page["body"])).encode())]})
    await send({"type": "http.response.body", "body": page["body"]})
