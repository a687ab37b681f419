"""The server `make run` starts is daphne, and it answers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.live_servers import free_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.server
def test_make_serve_runs_daphne_and_answers_on_root(tmp_path):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(DJANGO_DEBUG="true", DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}")
    environment.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT,
        env=environment, check=True, timeout=120,
    )
    port = free_port()
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={port}", f"PY={sys.executable}"],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    try:
        response = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except OSError:
                time.sleep(0.5)
        assert response is not None, "the server did not answer within 60 seconds"
        assert response.status == 200
        assert response.headers["Server"] == "daphne"
        assert b"Urgent help" in response.read()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert "Daphne" in output, output
