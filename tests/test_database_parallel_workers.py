"""Harbour's statements run in one PostgreSQL process unless the operator says otherwise: shared
among parallel workers, a search on a large forum took half as long again and twice the
database's CPU, with many readers at once (docs/performance.md, change 34)."""

from __future__ import annotations

import pytest

from tests.live_servers import database_url
from tests.test_deploy import manage
from tests.test_faults import postgresql_port

# Parallel plans made free, so that PostgreSQL shares a statement among workers whenever it may.
# A catalog table: it has rows however empty the test database is.
SHOW_PLAN = """
from django.db import connection
with connection.cursor() as cursor:
    for name in ("parallel_setup_cost", "parallel_tuple_cost", "min_parallel_table_scan_size"):
        cursor.execute(f"SET {name} = 0")
    cursor.execute("EXPLAIN SELECT count(*) FROM pg_attribute WHERE attname LIKE %s", ["%walk%"])
    print("\\n".join(row[0] for row in cursor.fetchall()))
"""


def show(name: str) -> str:
    return (f"from django.db import connection; cursor = connection.cursor(); "
            f"cursor.execute('SHOW {name}'); print(cursor.fetchone()[0])")


def in_a_harbour_process(code: str, *, url: str | None = None, **env: str) -> str:
    """What `code` prints in a process of Harbour's on the test database, with none of the
    settings below taken from the environment unless given."""
    result = manage("shell", "--no-imports", "-c", code, DJANGO_DEBUG="true",
                    DATABASE_URL=url or database_url(),
                    **{"DATABASE_PARALLEL_WORKERS": "", "PGOPTIONS": "", **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def on_postgresql(db):
    postgresql_port()  # fails loudly in CI without PostgreSQL


def test_a_statement_postgresql_would_share_among_workers_runs_in_one_process(on_postgresql):
    assert in_a_harbour_process(show("max_parallel_workers_per_gather")) == "0"
    plan = in_a_harbour_process(SHOW_PLAN)
    assert "Seq Scan on pg_attribute" in plan
    assert "Gather" not in plan


def test_the_operator_can_give_statements_parallel_workers(on_postgresql):
    plan = in_a_harbour_process(SHOW_PLAN, DATABASE_PARALLEL_WORKERS="2")
    assert "Gather" in plan
    assert "Parallel Seq Scan on pg_attribute" in plan


def test_pgoptions_and_the_database_urls_own_options_still_apply(on_postgresql):
    # Given connection options, libpq no longer reads PGOPTIONS by itself.
    assert in_a_harbour_process(show("statement_timeout"),
                                PGOPTIONS="-c statement_timeout=1234") == "1234ms"
    # The URL's own options come last, so a setting they repeat is theirs.
    url = f"{database_url()}?options=-c%20max_parallel_workers_per_gather%3D3"
    assert in_a_harbour_process(show("max_parallel_workers_per_gather"), url=url) == "3"
    url = f"{database_url()}?options=-c%20statement_timeout%3D2345"
    assert in_a_harbour_process(show("statement_timeout"), url=url,
                                PGOPTIONS="-c statement_timeout=1234") == "2345ms"


@pytest.mark.parametrize(("value", "message"), [
    ("-1", "DATABASE_PARALLEL_WORKERS must be from 0 to 1024."),
    ("1025", "DATABASE_PARALLEL_WORKERS must be from 0 to 1024."),
    ("two", "DATABASE_PARALLEL_WORKERS must be a whole number, not 'two'."),
])
def test_a_bad_number_of_parallel_workers_is_refused_with_a_clear_message(value, message):
    result = manage("check", DJANGO_DEBUG="true", DATABASE_PARALLEL_WORKERS=value)
    assert result.returncode != 0
    assert message in result.stderr
