"""How long the benchmark database takes to commit, measured beside a run.

A thread commits a one-row insert every 20 ms on its own connection and table for as long as
the run lasts. A commit waits for PostgreSQL to flush its write-ahead log to disk, so these
times are the disk's flush latency as the run saw it: on a shared machine it now and then
stalls for hundreds of milliseconds, and every post saved during a stall waits as long. (The
table is an ordinary one on purpose: a temporary or unlogged table skips the log.)
"""

from __future__ import annotations

import os
import threading
import time

import psycopg
from psycopg import sql

from bench import environment
from bench.stats import summary

INTERVAL_SECONDS = 0.02
STALL_MS = 100.0
NOT_MEASURED = "not measured"


class CommitProbe:
    def __init__(self) -> None:
        self.samples: list[tuple[float, float]] = []  # (started, epoch seconds; took, ms)
        self.error: str | None = None
        # One table per probe: a probe still finishing must not drop the next one's table.
        self._table = sql.Identifier(f"bench_commit_probe_{os.getpid()}_{id(self)}")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="commit-probe", daemon=True)

    def __enter__(self) -> CommitProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        if self._thread.is_alive() and self.error is None:
            self.error = "a commit was still waiting 10 s after the run"

    def _run(self) -> None:
        try:
            with psycopg.connect(environment.database_url(), autocommit=True) as connection:
                connection.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} (at double precision)")
                                   .format(self._table))
                try:
                    insert = sql.SQL("INSERT INTO {} VALUES (%s)").format(self._table)
                    while not self._stop.wait(INTERVAL_SECONDS):
                        started, began = time.time(), time.perf_counter()
                        connection.execute(insert, (started,))
                        self.samples.append((started, (time.perf_counter() - began) * 1000))
                finally:
                    connection.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(self._table))
        except psycopg.Error as error:
            # The run goes on; its report says the commits were not measured, not "no stall".
            self.error = f"{type(error).__name__}: {error}"[:200]

    def measured(self) -> bool:
        """Whether the probe ran from start to end: only then does "no stall" mean none."""
        return self.error is None and bool(self.samples)

    def stalls(self) -> list[tuple[float, float]]:
        return [(started, took) for started, took in self.samples if took >= STALL_MS]

    def overlapping(self, started: float, ms: float) -> float | str | None:
        """The longest stall under way at some moment while something ran from `started` for
        `ms`: None when there was none, NOT_MEASURED when the probe failed."""
        if not self.measured():
            return NOT_MEASURED
        ended = started + ms / 1000
        during = [took for begun, took in self.stalls()
                  if begun < ended and begun + took / 1000 > started]
        return max(during, default=None)

    def result(self) -> dict:
        figures = summary(took for _, took in self.samples)
        return {"commits": figures["count"], "p50_ms": figures["p50"], "p99_ms": figures["p99"],
                "max_ms": figures["max"], f"over_{STALL_MS:g}_ms": len(self.stalls()),
                "error": self.error}
