"""What a page costs in SQL: fetch it through Django's test client with a reader's session and
capture every statement; optionally EXPLAIN ANALYZE each SELECT (PostgreSQL).

In the harness: `capture(path, cookie)`. For another database, as a process:
    DATABASE_URL=... python -m bench.capture < {"pages": [[path, cookie], ...], "explain": true}
"""

from __future__ import annotations

import json
import os
import re
import sys

# Statements running longer than this are stopped (PGOPTIONS, set by the scale scenario).
STATEMENT_TIMEOUT_SECONDS = 30
# Tables that grow with the forum, whose sequential scan would mean a missing index once they
# hold this many rows (by PostgreSQL's statistics). Below that, reading one whole costs little
# and is often the planner's choice, so its scan says nothing about an index; those scans are
# kept apart (`small_table_scans`). The scale seed makes few read markers and notifications,
# so for those two tables the check only speaks on a database that has many.
BIG_TABLES = ("forums_post", "forums_postsearchdocument", "forums_thread", "forums_reaction",
              "forums_threadread", "community_notification")
BIG_TABLE_ROWS = 10_000


def capture(path: str, cookie: str, *, explain: bool = False) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # A statement stopped by the timeout makes the page a 500, as it would for a browser.
    client = Client(raise_request_exception=False)
    name, value = cookie.split("=", 1)
    client.cookies[name] = value
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    statements = [query["sql"] for query in queries.captured_queries]
    result = {"path": path, "status": response.status_code, "queries": len(statements),
              "sql": statements, "body": response.content.decode()}
    if explain:
        result["plans"] = [explain_one(statement) for statement in statements
                           if statement.lstrip().upper().startswith("SELECT")]
        result["sequential_scans"] = sorted({
            table for plan in result["plans"] for table in plan["sequential_scans"]})
    return result


def explain_one(statement: str) -> dict:
    """The plan with real timings; a statement still running after STATEMENT_TIMEOUT gets the
    planner's estimate instead (EXPLAIN without ANALYZE), marked as timed out."""
    from django.db import DatabaseError, connection

    timed_out = False
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}")
        except DatabaseError:
            timed_out = True
            cursor.execute(f"EXPLAIN {statement}")
        lines = [row[0] for row in cursor.fetchall()]
    scanned = {match.group(1) for line in lines
               for match in [re.search(r"Seq Scan on (\w+)", line)] if match
               and match.group(1) in BIG_TABLES}
    scans = {table for table in scanned if _rows_in(table) >= BIG_TABLE_ROWS}
    timing = next((line for line in lines if line.startswith("Execution Time")), "")
    return {"sql": statement[:300], "plan": lines, "sequential_scans": sorted(scans),
            "small_table_scans": sorted(scanned - scans), "timed_out": timed_out,
            "execution_ms": float(re.findall(r"[\d.]+", timing)[0]) if timing else None}


def _rows_in(table: str) -> float:
    """The table's rows as PostgreSQL's statistics count them; a table never analyzed counts as
    big, so that its scan is still reported."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
    return row[0] if row and row[0] >= 0 else float("inf")


def main() -> None:
    request = json.loads(sys.stdin.read())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
    import django

    django.setup()
    pages = [capture(path, cookie, explain=request.get("explain", False))
             for path, cookie in request["pages"]]
    json.dump(pages, sys.stdout)


if __name__ == "__main__":
    main()
