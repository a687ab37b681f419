"""PostgreSQL connections come from a pool in each process, so that a request or a Wall message
does not pay for a new connection (docs/performance.md, change 21)."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from tests.live_servers import (
    PRODUCTION_SECRET_KEY,
    Daphne,
    cookie_for,
    database_url,
    production_environment,
)
from tests.test_deploy import PRODUCTION, manage
from tests.test_faults import get, postgresql_port

POSTGRES_URL = "postgres://harbour@127.0.0.1:5432/harbour"
SHOW_POOL = ("import json; from django.conf import settings as s; "
             "print(json.dumps(s.DATABASES['default'].get('OPTIONS', {}).get('pool')))")


def pool_setting(**env: str):
    result = manage("shell", "--no-imports", "-c", SHOW_POOL, **PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgresql_connections_are_pooled_by_default():
    assert pool_setting(DATABASE_URL=POSTGRES_URL) == {"min_size": 2, "max_size": 10,
                                                       "timeout": 5}


def test_the_pool_size_is_a_setting_and_zero_turns_it_off():
    assert pool_setting(DATABASE_URL=POSTGRES_URL, DATABASE_POOL_SIZE="1") == {
        "min_size": 1, "max_size": 1, "timeout": 5}
    assert pool_setting(DATABASE_URL=POSTGRES_URL, DATABASE_POOL_SIZE="0") is None


def test_sqlite_has_no_pool():
    assert pool_setting(DATABASE_URL="sqlite:///unused.sqlite3") is None


def test_persistent_connections_and_the_pool_together_are_refused_with_a_clear_message():
    result = manage("check", **PRODUCTION, DATABASE_URL=POSTGRES_URL, DATABASE_CONN_MAX_AGE="60")
    assert result.returncode != 0
    assert "DATABASE_CONN_MAX_AGE must be 0 while the connection pool is on" in result.stderr


SERVER_NAME = "harbour-pool-test"


def server_backends() -> dict[int, str]:
    """The test server's PostgreSQL sessions (named by it), not the test process's own pool's:
    pid -> when it started."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid, backend_start::text FROM pg_stat_activity "
                       "WHERE application_name = %s", [SERVER_NAME])
        return dict(cursor.fetchall())


@pytest.fixture
def production_server(people, settings):
    """A production-mode daphne on the test database whose PostgreSQL sessions carry
    SERVER_NAME, and a signed-in member's cookie for it."""
    postgresql_port()  # fails loudly in CI without PostgreSQL
    settings.SECRET_KEY = PRODUCTION_SECRET_KEY
    cookie = cookie_for(people["member"])
    environment = production_environment(
        None, DATABASE_URL=f"{database_url()}?application_name={SERVER_NAME}")
    server = Daphne(environment).start()
    try:
        yield server.port, cookie
    finally:
        server.stop()


@pytest.mark.server
@pytest.mark.django_db(transaction=True)
def test_a_production_server_serves_request_after_request_on_the_same_connections(
        production_server):
    port, cookie = production_server
    seen = []
    for _ in range(5):
        assert get(port, "/", cookie)[0] == 200
        seen.append(server_backends())
    assert seen[0], "the server kept no connection open between requests"
    assert all(backends == seen[0] for backends in seen), (
        "connections were opened and closed between requests", seen)
    assert len(seen[0]) <= 10


@pytest.mark.server
@pytest.mark.django_db(transaction=True)
def test_pooled_connections_the_database_dropped_are_replaced_without_an_error_page(
        production_server):
    port, cookie = production_server
    assert get(port, "/", cookie)[0] == 200
    dropped = server_backends()
    assert dropped
    with connection.cursor() as cursor:  # as a database restart or failover would
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE application_name = %s", [SERVER_NAME])
    for _ in range(3):
        assert get(port, "/", cookie)[0] == 200
    assert not set(server_backends()) & set(dropped)
