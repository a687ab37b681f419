"""Real servers on loopback for the tests that need them: daphne processes serving the test
database, a private Redis the test may stop and start, and a Wall client that behaves as
static/wall/wall.js does (resume by event number, resend what was not acknowledged, reconnect with
backoff)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import redis
import websockets
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.conftest import verify_second_factor

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen | None = None, *, seconds=60,
                  log=None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            printed = log() if log else process.stdout.read() if process.stdout else ""
            raise AssertionError(f"the server exited: {printed}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing answered on port {port} within {seconds} seconds")


def database_url(*, port: int | None = None) -> str:
    """The test database, for server processes to open the same one as the test (through
    another port, for PostgreSQL behind a CuttableProxy)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        host = "127.0.0.1" if port else db["HOST"] or "127.0.0.1"
        return f"postgres://{auth}@{host}:{port or db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def shared_redis_url() -> str:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/9"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        pytest.fail(f"This test needs Redis at {url}: {error}")
    return url


def server_environment(redis_url: str | None, **extra) -> dict:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.pop("REDIS_URL", None)
    environment.update(DJANGO_DEBUG="true", DATABASE_URL=database_url(),
                       DJANGO_SETTINGS_MODULE="community.settings")
    environment.update(extra)
    if redis_url:
        environment["REDIS_URL"] = redis_url
    return environment


PRODUCTION_SECRET_KEY = "fault-tests-" + "k3y-0f-th3-pr0duct10n-m0d3-s3rv3r-" * 2


def production_environment(redis_url: str | None, **extra) -> dict:
    """Production mode, as a trust runs it, but over plain http on loopback (the TLS proxy's
    part is left out). Sessions for it must be made with settings.SECRET_KEY set to
    PRODUCTION_SECRET_KEY. Collects the static files production serves."""
    environment = server_environment(
        redis_url, DJANGO_DEBUG="false", DJANGO_SECRET_KEY=PRODUCTION_SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_SECURE_SSL_REDIRECT="false", **extra)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
                   cwd=ROOT, env=environment, check=True, timeout=120)
    return environment


class Daphne:
    """One daphne process serving Harbour on a fixed port, which survives a restart."""

    def __init__(self, environment: dict, port: int | None = None):
        self.environment = environment
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None
        # A file, not a pipe: a pipe nobody reads fills up with the faults' tracebacks and
        # freezes the server. It collects the output of every start, restarts included.
        self.log = tempfile.TemporaryFile(mode="w+")

    def start(self) -> Daphne:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port),
             "community.asgi:application"],
            cwd=ROOT, env=self.environment, stdout=self.log, stderr=subprocess.STDOUT,
            text=True, start_new_session=True,
        )
        wait_for_port(self.port, self.process, log=self.output)
        return self

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def stop(self, sig=signal.SIGTERM) -> str:
        """Stop the process; everything it (and any earlier start) printed."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)
        return self.output()


class PrivateRedis:
    """A Redis server of the test's own on a free port, so that stopping it touches nobody
    else's. Like production's, it keeps nothing on disk: a restart forgets everything."""

    def __init__(self):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("This test needs the redis-server program (Debian's redis-server).")
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> PrivateRedis:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, self.process)
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)


def cookie_for(user, *, second_factor=False) -> str:
    client = Client()
    client.force_login(user)
    if second_factor:
        verify_second_factor(client, user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def open_wall(port: int, cookie: str, slug="talking-therapies", *, page_scheme="http"):
    """A socket as the browser opens one, after its hello (which it returns). In production mode
    the page is https (behind the TLS proxy), though the socket reaches daphne as plain ws."""
    wall = await websockets.connect(
        f"ws://127.0.0.1:{port}/ws/wall/{slug}/",
        origin=f"{page_scheme}://127.0.0.1:{port}", additional_headers={"Cookie": cookie},
        open_timeout=10,
    )
    hello = json.loads(await asyncio.wait_for(wall.recv(), 10))
    assert hello["type"] == "hello", hello
    return wall, hello


RETRY_FAILED_SECONDS = 1.0  # doubling after each failure, as wall.js does from 3 s


class WallClient:
    """The Wall as wall.js keeps it: the last event number applied, the messages shown (each
    once), posts waiting for their acknowledgement, resent after a reconnect."""

    def __init__(self, port: int, cookie: str, name: str, *, page_scheme="http"):
        self.port, self.cookie, self.name, self.page_scheme = port, cookie, name, page_scheme
        self.last_seq: int | None = None
        self.shown: list[int] = []
        self.applied_seqs: list[int] = []
        self.acked: dict[str, int] = {}
        self.pending: dict[str, str] = {}
        self.errors: list[dict] = []
        self.retries: dict[str, int] = {}
        self.connections = 0
        self.received_at: dict[int, float] = {}
        self._socket = None
        self._stopping = False

    async def run(self) -> None:
        delay = 0.25
        while not self._stopping:
            try:
                wall, hello = await open_wall(self.port, self.cookie,
                                              page_scheme=self.page_scheme)
            except (TimeoutError, OSError, websockets.WebSocketException):
                await asyncio.sleep(delay / 2 + random.random() * delay)  # noqa: S311
                delay = min(delay * 2, 2.0)
                continue
            delay = 0.25
            self.connections += 1
            self._socket = wall
            if self.last_seq is None:
                self.last_seq = hello["last_seq"]
            with contextlib.suppress(websockets.WebSocketException):
                await wall.send(json.dumps({"type": "resume", "last_seq": self.last_seq}))
                for client_id, body in list(self.pending.items()):
                    await wall.send(json.dumps({"type": "post", "client_id": client_id,
                                                "body": body}))
                async for frame in wall:
                    await self._handle(json.loads(frame))
            self._socket = None

    async def _handle(self, data: dict) -> None:
        if data["type"] == "event":
            await self._apply(data)
        elif data["type"] == "reload":
            self.last_seq = data["last_seq"]
        elif data["type"] == "ack":
            self.pending.pop(data["client_id"], None)
            self.acked[data["client_id"]] = data["id"]
        elif data["type"] == "error":
            self.errors.append(data)
            client_id = data.get("client_id")
            if data["code"] == "failed" and client_id in self.pending:
                self.retries[client_id] = self.retries.get(client_id, 0) + 1
                asyncio.get_running_loop().call_later(
                    RETRY_FAILED_SECONDS * 2 ** (self.retries[client_id] - 1),
                    lambda: asyncio.ensure_future(self._resend(client_id)))
            else:
                self.pending.pop(client_id, None)

    async def _resend(self, client_id: str) -> None:
        if client_id in self.pending:
            await self.post(client_id, self.pending[client_id])

    async def _apply(self, event: dict) -> None:
        if event["seq"] <= self.last_seq:
            return
        if event["seq"] > self.last_seq + 1:
            await self._socket.send(json.dumps({"type": "resume", "last_seq": self.last_seq}))
            return
        self.last_seq = event["seq"]
        self.applied_seqs.append(event["seq"])
        if event["kind"] == "message":
            self.shown.append(event["payload"]["id"])
            self.received_at[event["payload"]["id"]] = time.monotonic()

    async def post(self, client_id: str, body: str) -> None:
        self.pending[client_id] = body
        if self._socket is not None:
            with contextlib.suppress(websockets.WebSocketException):
                await self._socket.send(json.dumps({"type": "post", "client_id": client_id,
                                                    "body": body}))

    def __repr__(self) -> str:
        return (f"<{self.name}: connections={self.connections} last_seq={self.last_seq} "
                f"shown={len(self.shown)} acked={len(self.acked)} pending={sorted(self.pending)} "
                f"errors={[e.get('code') for e in self.errors]}>")

    async def stop(self) -> None:
        self._stopping = True
        if self._socket is not None:
            await self._socket.close()


class CuttableProxy:
    """A TCP relay between a server process and its database, which the test can cut (every
    connection closed, new ones refused at once) and mend, as a network fault would."""

    def __init__(self, upstream_port: int, upstream_host="127.0.0.1"):
        self.upstream = (upstream_host, upstream_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.cut_off = False
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.cut_off:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.upstream, timeout=10)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)  # a connection may rest in a pool for as long as it likes
            with self.lock:
                self.open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()

    def cut(self) -> None:
        self.cut_off = True
        with self.lock:
            ends, self.open = self.open, set()
        for end in ends:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def mend(self) -> None:
        self.cut_off = False

    def close(self) -> None:
        self.cut()
        self.listener.close()
