"""Client processes, driven over JSON lines (see bench.wall_client)."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading

from bench.environment import ROOT


class Worker:
    def __init__(self, module: str, config: dict, environment: dict):
        self.process = subprocess.Popen(  # noqa: S603 - our own module, our own Python
            [sys.executable, "-m", module], cwd=ROOT, env=environment, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=None, text=True, bufsize=1, start_new_session=True)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.send(config)

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def send(self, message: dict) -> None:
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()

    def expect(self, event: str, timeout: float) -> dict:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise RuntimeError(f"a client process sent no {event!r} within {timeout:.0f} s"
                               ) from None
        if line is None:
            raise RuntimeError(f"a client process exited before {event!r} "
                               f"(exit code {self.process.wait()})")
        message = json.loads(line)
        if message.get("event") != event:
            raise RuntimeError(f"expected {event!r} from a client process, got {message}")
        return message

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.process.pid, signal.SIGKILL)
