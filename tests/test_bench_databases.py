"""The benchmark never measures a schema other than this checkout's: a benchmark database that
another branch, or a change since taken out, migrated is made again before it is used
(docs/performance.md, change 26)."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection

from bench import environment
from tests.test_faults import postgresql_port

NAME = "harbour_test_bench_schema"


@pytest.fixture
def bench_database_url():
    port = postgresql_port()  # fails loudly in CI without PostgreSQL
    user = connection.settings_dict["USER"] or "postgres"
    url = f"postgres://{user}@{connection.settings_dict['HOST'] or '127.0.0.1'}:{port}/{NAME}"
    environment.drop_database(url)
    environment.ensure_database(url)
    yield url
    environment.drop_database(url)


def record_migrations(url: str, names: list[tuple[str, str]]) -> None:
    with psycopg.connect(url, autocommit=True) as database:
        database.execute("CREATE TABLE django_migrations (id serial PRIMARY KEY, app text, "
                         "name text, applied timestamptz DEFAULT now())")
        for app, name in names:
            database.execute("INSERT INTO django_migrations (app, name) VALUES (%s, %s)",
                             [app, name])


def test_a_database_migrated_by_other_code_is_made_again(bench_database_url):
    record_migrations(bench_database_url, [("forums", "0001_initial"),
                                           ("forums", "0099_taken_out_since")])
    assert environment.migrations_this_code_lacks(bench_database_url) == [
        "forums.0099_taken_out_since"]
    said = []
    environment.drop_if_migrated_by_other_code(bench_database_url, said.append)
    assert not environment.database_exists(bench_database_url)
    assert "forums.0099_taken_out_since" in said[0]


def test_a_database_of_this_checkouts_migrations_is_kept(bench_database_url):
    record_migrations(bench_database_url, [("forums", "0001_initial"),
                                           ("forums", "0004_post_was_published")])
    said = []
    environment.drop_if_migrated_by_other_code(bench_database_url, said.append)
    assert environment.database_exists(bench_database_url)
    assert said == []


def test_a_database_not_migrated_yet_is_kept(bench_database_url):
    assert environment.migrations_this_code_lacks(bench_database_url) == []
    environment.drop_if_migrated_by_other_code(bench_database_url, [].append)
    assert environment.database_exists(bench_database_url)
