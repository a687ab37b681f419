"""PostgreSQL's CPU seconds on this machine, for the HTTP scenarios to charge a request its share
of the database's work as well as of daphne's: every PostgreSQL process's own time, plus, through
the postmaster's children's times, the time of those that have exited (parallel workers and
closed sessions). The benchmarks run PostgreSQL on loopback; with no PostgreSQL process in sight
(a database on another machine) there is nothing to read, and the figure is left out."""

from __future__ import annotations

import os


def _postgres_processes() -> dict[int, tuple[int, list[int]]]:
    """pid -> (parent pid, [utime, stime, cutime, cstime] in clock ticks)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat_file:
                stat = stat_file.read()
        except OSError:  # gone since the listing
            continue
        # The name is in brackets and may hold spaces; the fields after it are plain numbers.
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        if not name.startswith("postgres"):
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        found[int(entry)] = (int(fields[1]), [int(value) for value in fields[11:15]])
    return found


def database_cpu_seconds() -> float | None:
    processes = _postgres_processes()
    if not processes:
        return None
    ticks = 0
    for parent, (user, system, children_user, children_system) in processes.values():
        ticks += user + system
        if parent not in processes:  # the postmaster: its children's times are the exited ones
            ticks += children_user + children_system
    return ticks / os.sysconf("SC_CLK_TCK")
