"""A benchmark database that records migrations this checkout lacks (another branch's, or a
change's since taken out) is made again before it is used, and no other database is ever
dropped (docs/performance.md, change 26)."""

from __future__ import annotations

import psycopg
import pytest

from bench import environment
from tests.live_servers import database_url
from tests.test_faults import postgresql_port


def sibling_database_url(name: str) -> str:
    postgresql_port()  # fails loudly in CI without PostgreSQL
    return database_url().rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture
def bench_database_url():
    url = sibling_database_url("harbour_bench_test_schema")
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


def test_a_squashed_migration_stands_for_those_it_replaced(bench_database_url, monkeypatch):
    from django.db.migrations import Migration
    from django.db.migrations.loader import MigrationLoader

    squashed = Migration("0001_squashed_0004", "forums")
    squashed.replaces = [("forums", "0001_initial"), ("forums", "0004_post_was_published")]
    disk = {("forums", "0001_squashed_0004"): squashed}
    monkeypatch.setattr(MigrationLoader, "load_disk", lambda loader: setattr(
        loader, "disk_migrations", disk))
    record_migrations(bench_database_url, [("forums", "0001_initial"),
                                           ("forums", "0004_post_was_published"),
                                           ("forums", "0099_taken_out_since")])
    assert environment.migrations_this_code_lacks(bench_database_url) == [
        "forums.0099_taken_out_since"]


def test_a_database_not_named_for_the_benchmark_is_never_dropped():
    url = sibling_database_url("harbour_test_not_a_bench_database")
    environment.drop_database(url)
    environment.ensure_database(url)
    try:
        record_migrations(url, [("forums", "0099_taken_out_since")])
        with pytest.raises(SystemExit, match="harbour_bench"):
            environment.drop_if_migrated_by_other_code(url, [].append)
        assert environment.database_exists(url)
    finally:
        environment.drop_database(url)
