"""Server processes the scenarios measure: daphne serving Harbour, and the floors. CPU time and
memory are read from /proc for the server's own process, so client work never counts."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import NamedTuple

from bench.environment import LOGS, ROOT

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class ProcessTimes(NamedTuple):
    name: str
    parent: int
    own_ticks: int  # user plus system
    exited_children_ticks: int  # of the children it has waited for


def process_times(pid: int) -> ProcessTimes | None:
    """A process's CPU times from /proc, or None when it is gone (or on another machine)."""
    try:
        with open(f"/proc/{pid}/stat") as stat_file:
            stat = stat_file.read()
    except OSError:
        return None
    # The name is in brackets and may hold spaces or brackets; the fields after it are numbers.
    fields = stat[stat.rindex(")") + 2:].split()
    user, system, children_user, children_system = (int(value) for value in fields[11:15])
    return ProcessTimes(stat[stat.index("(") + 1:stat.rindex(")")], int(fields[1]),
                        user + system, children_user + children_system)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A server process on loopback: started, waited for, measured and stopped."""

    def __init__(self, name: str, command: list[str], environment: dict, port: int):
        self.name, self.port = name, port
        LOGS.mkdir(parents=True, exist_ok=True)
        self.log_path = LOGS / f"{name}-{port}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(command, cwd=ROOT, env=environment,  # noqa: S603
                                        stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self.peak_rss_kib = 0
        self._sampling = True
        self._sampler = threading.Thread(target=self._sample_memory, daemon=True)

    def wait_until_listening(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start-up; see {self.log_path}:\n"
                                   + Path(self.log_path).read_text()[-3000:])
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    self._sampler.start()
                    return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not listen on {self.port} within {timeout} s")

    def cpu_seconds(self) -> float:
        """User plus system CPU time the server process has used so far."""
        times = process_times(self.process.pid)
        if times is None:
            raise RuntimeError(f"{self.name} is no longer running")
        return times.own_ticks / CLOCK_TICKS

    def rss_kib(self) -> int:
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def _sample_memory(self) -> None:
        while self._sampling and self.process.poll() is None:
            try:
                self.peak_rss_kib = max(self.peak_rss_kib, self.rss_kib())
            except OSError:
                return
            time.sleep(0.25)

    def stop(self) -> None:
        self._sampling = False
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def daphne(name: str, environment: dict, application: str = "community.asgi:application"
           ) -> Server:
    port = free_port()
    server = Server(name, [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                           application], environment, port)
    server.wait_until_listening()
    return server


def python_module(name: str, module: str, environment: dict, *arguments: str) -> Server:
    port = free_port()
    server = Server(name, [sys.executable, "-m", module, "--port", str(port), *arguments],
                    environment, port)
    server.wait_until_listening()
    return server
