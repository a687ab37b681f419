"""The benchmark's PostgreSQL server's CPU seconds, for the HTTP scenarios to charge a request its
share of the database's work as well as of daphne's: the postmaster and every process it started
(sessions, parallel workers, its own background processes), plus, through the postmaster's
children's times, those that have exited since. Read from `/proc`, so only where the server runs
on this machine, as the benchmarks run it; otherwise there is nothing to read and the figure is
left out. Other clients of the same server are counted too, so nothing else should use it."""

from __future__ import annotations

import functools
import os

from bench.servers import CLOCK_TICKS, process_times


@functools.cache
def _postmaster() -> int | None:
    """The server of the harness's own connection, if it runs here: its session's parent."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        session = process_times(cursor.fetchone()[0])
    # A server elsewhere has session numbers that may be some other process here.
    if session is None or session.name != "postgres":
        return None
    postmaster = process_times(session.parent)
    return session.parent if postmaster is not None and postmaster.name == "postgres" else None


def database_cpu_seconds() -> float | None:
    postmaster = _postmaster()
    server = process_times(postmaster) if postmaster else None
    if server is None:
        return None
    ticks = server.own_ticks + server.exited_children_ticks
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (times := process_times(int(entry))) and times.parent == postmaster:
            ticks += times.own_ticks
    return ticks / CLOCK_TICKS
