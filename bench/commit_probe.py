"""How long the benchmark database takes to commit, measured beside a run.

A thread commits a one-row insert every 20 ms on its own connection and table for as long as
the run lasts. A commit waits for PostgreSQL to flush its write-ahead log to disk, so these
times are the disk's flush latency as the run saw it: on a shared machine it now and then
stalls for hundreds of milliseconds, and every post saved during a stall waits as long.
"""

from __future__ import annotations

import threading
import time

import psycopg

from bench import environment
from bench.stats import summary

INTERVAL_SECONDS = 0.02
STALL_MS = 100.0


class CommitProbe:
    def __init__(self) -> None:
        self.samples: list[tuple[float, float]] = []  # (started, epoch seconds; took, ms)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="commit-probe", daemon=True)

    def __enter__(self) -> CommitProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        with psycopg.connect(environment.database_url(), autocommit=True) as connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS bench_commit_probe (at double precision)")
            while not self._stop.wait(INTERVAL_SECONDS):
                started, began = time.time(), time.perf_counter()
                connection.execute("INSERT INTO bench_commit_probe VALUES (%s)", (started,))
                self.samples.append((started, (time.perf_counter() - began) * 1000))
            connection.execute("DROP TABLE IF EXISTS bench_commit_probe")

    def stalls(self) -> list[tuple[float, float]]:
        return [(started, took) for started, took in self.samples if took >= STALL_MS]

    def overlapping(self, started: float, ms: float) -> float | None:
        """The longest stall that was under way while something ran from `started` for `ms`."""
        ended = started + ms / 1000
        during = [took for begun, took in self.stalls()
                  if begun < ended and begun + took / 1000 > started]
        return max(during, default=None)

    def result(self) -> dict:
        figures = summary(took for _, took in self.samples)
        return {"commits": figures["count"], "p50_ms": figures["p50"], "p99_ms": figures["p99"],
                "max_ms": figures["max"], f"over_{STALL_MS:g}_ms": len(self.stalls())}
