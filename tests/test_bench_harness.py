"""Parts of the benchmark harness whose mistakes would mislead its readers: the database's CPU
charged to each request, and the settings a server of the scale scenario is given for an A/B in
one invocation (docs/performance.md, change 34)."""

from __future__ import annotations

import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg
import pytest

from bench.cli import harness_problems, parser
from bench.database_cpu import database_cpu_seconds
from bench.http_load import Target, alternate
from bench.servers import CLOCK_TICKS, process_times
from bench.tables import http_table
from tests.live_servers import database_url
from tests.test_faults import postgresql_port

# About half a second of one PostgreSQL process's CPU, whatever the database holds.
BUSY_STATEMENT = "SELECT count(*) FROM generate_series(1, 5000000)"


def backend_gone(pid: int) -> bool:
    return not os.path.exists(f"/proc/{pid}")


def cpu_seconds_of(pid: int) -> float:
    return process_times(pid).own_ticks / CLOCK_TICKS


def test_the_database_cpu_counts_a_session_while_it_lasts_and_once_it_has_ended(db):
    postgresql_port()  # fails loudly in CI without PostgreSQL
    before = database_cpu_seconds()
    assert before is not None, "no PostgreSQL process on this machine to read"
    with psycopg.connect(database_url()) as session:
        pid = session.info.backend_pid
        session.execute(BUSY_STATEMENT)
        used = cpu_seconds_of(pid)
        assert database_cpu_seconds() - before >= used * 0.95
    # Its process is gone before the second reading: only the postmaster still counts its time.
    deadline = time.monotonic() + 10
    while not backend_gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert backend_gone(pid)
    spent = database_cpu_seconds() - before
    assert used >= 0.2
    # The server's other processes do a little meanwhile; twice the session would be counted
    # twice.
    assert used * 0.95 <= spent <= used * 1.5 + 0.05


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


class Answers200(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def http_port():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answers200)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def test_each_side_is_charged_the_database_cpu_of_its_own_turns(http_port):
    readings = iter(range(1000))  # a second more at every reading
    results = alternate([Target(name, [http_port], "/", ["a=b"]) for name in ("A", "B")],
                        clients=1, seconds=0.4, phase_seconds=0.2,
                        database_cpu=lambda: float(next(readings)))
    for result in results:
        # Two turns a side, each charged one second between its two readings.
        assert result["database_cpu_ms_per_request"] == round(2000 / result["requests"], 2)


def test_no_database_cpu_is_reported_where_none_could_be_read(http_port):
    [result] = alternate([Target("A", [http_port], "/", ["a=b"])], clients=1, seconds=0.2,
                         database_cpu=lambda: None)
    assert result["requests"] > 0
    assert result["database_cpu_ms_per_request"] is None


def test_the_large_forums_rows_may_be_slow_but_the_small_ones_must_answer():
    rows = [{"name": "search, rarer word, small", "requests": 0},
            {"name": "search, rarer word, large", "requests": 0},
            {"name": "search, rarer word, large (DATABASE_PARALLEL_WORKERS=2)", "requests": 0}]
    assert harness_problems("scale", {"summary": rows}) == [
        "scale search, rarer word, small: no requests completed"]


def test_a_variants_settings_keep_the_statement_timeout_and_the_other_sides_run_as_default(
        monkeypatch):
    from bench.scenarios.scale import scale_server_environment

    monkeypatch.setenv("DATABASE_PARALLEL_WORKERS", "5")  # the harness's own shell
    variant = {"DATABASE_PARALLEL_WORKERS": "2", "PGOPTIONS": "-c work_mem=8MB"}
    served = scale_server_environment("harbour_bench_large", variant, defaults_for=variant)
    assert served["DATABASE_PARALLEL_WORKERS"] == "2"
    assert served["PGOPTIONS"] == "-c statement_timeout=30000 -c work_mem=8MB"
    other = scale_server_environment("harbour_bench_large", None, defaults_for=variant)
    assert "DATABASE_PARALLEL_WORKERS" not in other
    assert other["PGOPTIONS"] == "-c statement_timeout=30000"
