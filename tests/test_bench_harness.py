"""Parts of the benchmark harness whose mistakes would mislead its readers: the database's CPU
charged to each request, and the settings a server of the scale scenario is given for an A/B in
one invocation (docs/performance.md, change 34)."""

from __future__ import annotations

import os
import time

import psycopg
import pytest

from bench.cli import parser
from bench.database_cpu import database_cpu_seconds
from bench.tables import http_table
from tests.live_servers import database_url
from tests.test_faults import postgresql_port

# About half a second of one PostgreSQL process's CPU, whatever the database holds.
BUSY_STATEMENT = "SELECT count(*) FROM generate_series(1, 5000000)"


def backend_gone(pid: int) -> bool:
    return not os.path.exists(f"/proc/{pid}")


def test_the_database_cpu_includes_sessions_that_have_ended(db):
    postgresql_port()  # fails loudly in CI without PostgreSQL
    before = database_cpu_seconds()
    assert before is not None, "no PostgreSQL process on this machine to read"
    started = time.monotonic()
    with psycopg.connect(database_url()) as session:
        pid = session.info.backend_pid
        session.execute(BUSY_STATEMENT)
    # Its process is gone before the second reading: only the postmaster still counts its time.
    deadline = time.monotonic() + 10
    while not backend_gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert backend_gone(pid)
    spent = database_cpu_seconds() - before
    assert spent >= 0.2
    assert spent <= (time.monotonic() - started) * (os.cpu_count() or 1)


def test_a_server_setting_for_the_large_forum_is_read_as_name_and_value():
    options = parser().parse_args(["run", "--scale-large-env",
                                   "DATABASE_PARALLEL_WORKERS=2, PGOPTIONS=-c a=b"])
    assert options.scale_large_env == {"DATABASE_PARALLEL_WORKERS": "2",
                                       "PGOPTIONS": "-c a=b"}
    assert parser().parse_args(["run"]).scale_large_env is None


def test_a_setting_without_a_value_is_refused_with_a_clear_message(capsys):
    with pytest.raises(SystemExit) as exit_:
        parser().parse_args(["run", "--scale-large-env", "DATABASE_PARALLEL_WORKERS"])
    assert exit_.value.code == 2
    assert "'DATABASE_PARALLEL_WORKERS' is not NAME=VALUE" in capsys.readouterr().err


def row(name: str, database_cpu: float | None) -> dict:
    return {"name": name, "requests": 10, "p50_ms": 1.0, "p99_ms": 2.0, "rps": 5.0,
            "cpu_ms_per_request": 3.0, "database_cpu_ms_per_request": database_cpu,
            "queries": 6, "vs": None}


def test_the_database_cpu_column_shows_only_where_it_was_read():
    measured = http_table({"title": "t", "summary": [row("search, small", 12.25)]})
    assert "| database CPU ms/req |" in measured
    assert "| search, small | 10 | 1.0 | 2.0 | 5.0 | 3.0 | 12.2 | 6 | – |" in measured
    unmeasured = http_table({"title": "t", "summary": [row("search, small", None)]})
    assert "database CPU" not in unmeasured
    assert "| search, small | 10 | 1.0 | 2.0 | 5.0 | 3.0 | 6 | – |" in unmeasured
