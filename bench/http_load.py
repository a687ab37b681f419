"""Concurrent HTTP clients on keep-alive connections, taking turns between targets: A for a few
seconds, then B, then A again, so that a noisy neighbour on a shared machine hits both sides."""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass, field

from bench.stats import summary


@dataclass
class Target:
    name: str
    ports: list[int]  # client n uses ports[n % len(ports)], as a proxy taking turns would
    path: str
    cookies: list[str]  # one per client; clients take them in turn
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    server_cpu_seconds: float = 0.0
    database_cpu_seconds: float | None = None

    def result(self) -> dict:
        figures = summary(self.latencies_ms)
        ok = self.statuses.get(200, 0)
        return {"name": self.name, "requests": ok, "statuses": self.statuses,
                "p50_ms": figures["p50"], "p90_ms": figures["p90"], "p99_ms": figures["p99"],
                "max_ms": figures["max"], "seconds": round(self.seconds, 2),
                "rps": round(ok / self.seconds, 1) if self.seconds else None,
                "cpu_ms_per_request": round(self.server_cpu_seconds / ok * 1000, 2) if ok
                else None,
                "database_cpu_ms_per_request": round(self.database_cpu_seconds / ok * 1000, 2)
                if ok and self.database_cpu_seconds is not None else None}


def _client(target: Target, port: int, cookie: str, until: float, lock: threading.Lock
            ) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie, "Host": "127.0.0.1"}
    latencies, statuses = [], {}
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            connection.request("GET", target.path, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            statuses[-1] = statuses.get(-1, 0) + 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        latencies.append((time.perf_counter() - started) * 1000)
        statuses[response.status] = statuses.get(response.status, 0) + 1
    connection.close()
    with lock:
        target.latencies_ms.extend(latencies)
        for status, count in statuses.items():
            target.statuses[status] = target.statuses.get(status, 0) + count


def alternate(targets: list[Target], *, clients: int, seconds: float,
              phase_seconds: float = 5.0, servers: dict | None = None,
              database_cpu=None) -> list[dict]:
    """Each target gets about `seconds` of load from `clients` clients, in turns. `servers`
    ({port: Server}) lets each target be charged the CPU time its servers spent meanwhile, and
    `database_cpu` (bench.database_cpu.database_cpu_seconds) the database's."""
    phases = max(1, round(seconds / phase_seconds))
    servers = servers or {}
    lock = threading.Lock()
    for _ in range(phases):
        for target in targets:
            length = seconds / phases
            until = time.monotonic() + length
            threads = [threading.Thread(target=_client, args=(
                target, target.ports[n % len(target.ports)],
                target.cookies[n % len(target.cookies)], until, lock))
                for n in range(clients)]
            charged = [servers[port] for port in target.ports if port in servers]
            cpu_before = sum(server.cpu_seconds() for server in charged)
            database_before = database_cpu() if database_cpu else None
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            target.seconds += time.monotonic() - started
            if charged:
                target.server_cpu_seconds += sum(server.cpu_seconds()
                                                 for server in charged) - cpu_before
            database_after = database_cpu() if database_cpu else None
            if database_before is not None and database_after is not None:
                target.database_cpu_seconds = ((target.database_cpu_seconds or 0.0)
                                               + database_after - database_before)
    return [target.result() for target in targets]
