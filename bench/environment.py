"""Where the benchmarks run: their own PostgreSQL databases and Redis database, development-mode
settings, and the environment handed to every server process they start.

The benchmark never touches the databases the site or the test suite use: BENCH_DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/harbour_bench) and BENCH_REDIS_URL (default
redis://127.0.0.1:6379/11), which it empties between runs.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
# Server logs: outside the checkout, so that they never end up in a commit.
LOGS = Path(tempfile.gettempdir()) / "harbour-bench-logs"

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/harbour_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/11"
# Servers run in production mode (bench.prodlike) unless `--mode dev` says otherwise. The key
# signs the benchmark's own sessions on loopback only: public, like the development key.
MODE = {"name": "prod"}
BENCH_SECRET_KEY = "benchmark-only-not-secret-" + "0123456789abcdefghijklmnopqrstuvwxyz"


def database_url(name: str | None = None) -> str:
    """The benchmark database, or a sibling database `name` on the same server."""
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    if name is None:
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def redis_url() -> str:
    return os.environ.get("BENCH_REDIS_URL") or DEFAULT_REDIS_URL


def raise_file_limit() -> int:
    """Thousands of sockets need thousands of file descriptors: take the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def server_environment(*, database: str | None = None, channel_layer: str = "core",
                       **extra: str) -> dict:
    """What a daphne process of the benchmark runs with: production mode as bench.prodlike
    adjusts it (or development mode), the benchmark's own PostgreSQL and Redis, quiet logs."""
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("DJANGO_", "HARBOUR_"))}
    environment.update(
        DJANGO_DEBUG="true",
        DJANGO_SETTINGS_MODULE="community.settings",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_SECRET_KEY=BENCH_SECRET_KEY,
        DATABASE_URL=database_url(database),
        REDIS_URL=redis_url(),
        HARBOUR_CHANNEL_LAYER=channel_layer,
        PYTHONPATH=str(ROOT),
    )
    if MODE["name"] == "prod":
        environment.update(
            DJANGO_DEBUG="false", DJANGO_SETTINGS_MODULE="bench.prodlike",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver", DJANGO_SECURE_SSL_REDIRECT="false")
    environment.update(extra)
    return environment


def ensure_database(url: str, template: str | None = None) -> bool:
    """Create the PostgreSQL database named by `url` if it does not exist yet, as a copy of the
    database `template` names when given (nobody may be connected to that one meanwhile).
    True when it was created."""
    import psycopg

    if database_exists(url):
        return False
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_admin_url(url), autocommit=True) as connection:
        if template is None:
            connection.execute(f'CREATE DATABASE "{name}"')
            return True
        disconnect_harness()
        source = urlsplit(template).path.lstrip("/")
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    return True


def origin(port: int) -> str:
    """The Origin a browser on Harbour's own page sends: https in production mode, where the
    session cookie is secure (community/origins.py)."""
    return f"{'https' if MODE['name'] == 'prod' else 'http'}://127.0.0.1:{port}"


def disconnect_harness() -> None:
    """Close the harness's own database connections, its pools' idle ones too: PostgreSQL copies
    or drops a database only while nobody is connected to it."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
        if getattr(connection, "pool", None) is not None:
            connection.close_pool()


def drop_database(url: str) -> None:
    import psycopg

    disconnect_harness()
    with psycopg.connect(_admin_url(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}"')


def _admin_url(url: str) -> str:
    """The same server's maintenance database, from which others are created and dropped."""
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def database_exists(url: str) -> bool:
    import psycopg

    with psycopg.connect(_admin_url(url), autocommit=True) as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  [urlsplit(url).path.lstrip("/")]).fetchone() is not None


def migrations_this_code_lacks(url: str) -> list[str]:
    """Migrations recorded in the database at `url` that this checkout does not have. A database
    migrated by other code (another branch, a change since taken out) keeps that code's columns
    and indexes, which `migrate` neither sees nor undoes, and every copy of it keeps them too."""
    import psycopg
    from django.db.migrations.loader import MigrationLoader

    if not database_exists(url):
        return []
    with psycopg.connect(url) as connection:
        if connection.execute("SELECT to_regclass('django_migrations')").fetchone()[0] is None:
            return []
        recorded = connection.execute("SELECT app, name FROM django_migrations").fetchall()
    on_disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    known = set(on_disk)
    for migration in on_disk.values():
        known.update(migration.replaces)  # a squashed migration stands for those it replaced
    return sorted(f"{app}.{name}" for app, name in recorded if (app, name) not in known)


def drop_if_migrated_by_other_code(url: str, report=print) -> None:
    """Start `url`'s database again when it carries migrations this checkout lacks: benchmarking
    it would measure another schema."""
    foreign = migrations_this_code_lacks(url)
    if not foreign:
        return
    name = urlsplit(url).path.lstrip("/")
    if not name.startswith("harbour_bench"):
        sys.exit(f"{name} carries migrations this checkout lacks ({', '.join(foreign)}). The "
                 "benchmark makes again only databases named harbour_bench*: point "
                 "BENCH_DATABASE_URL at one.")
    report(f"  {name} carries migrations this checkout lacks ({', '.join(foreign)}): made again")
    drop_database(url)


def setup_django(database: str | None = None) -> None:
    """Django in the harness process itself, on the benchmark database, with migrations applied,
    in the servers' mode and with their key: the harness creates the people, sessions and posts
    the scenarios use, and fetches pages through Django's test client."""
    url = database_url(database)
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("The benchmarks need PostgreSQL: set BENCH_DATABASE_URL to a postgres:// URL.")
    ensure_database(url)
    os.environ.update(server_environment(database=database))
    import django

    django.setup()
    from django.core.management import call_command

    drop_if_migrated_by_other_code(url)  # its copies seed the scale scenario's databases
    ensure_database(url)
    call_command("migrate", verbosity=0, interactive=False)


def flush_redis() -> None:
    """Empty the benchmark's Redis database: socket counters and presence from an earlier
    server would otherwise count against the next one."""
    import redis

    redis.Redis.from_url(redis_url()).flushdb()


def add_database(alias: str, name: str) -> None:
    """Make a sibling PostgreSQL database reachable from the harness as `using(alias)`."""
    import dj_database_url
    from django.db import connections

    if alias not in connections.settings:
        configured = connections.configure_settings({
            "default": connections.settings["default"],
            alias: dj_database_url.parse(database_url(name)),
        })
        connections.settings[alias] = configured[alias]
