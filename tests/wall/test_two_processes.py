"""Several daphne processes sharing one Redis form one Wall: a message posted through one
process reaches a browser connected to another. Real Redis, the test's own database, real
sockets on loopback. Needs Redis: it fails, never skips, when Redis is not there."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import websockets
from django.conf import settings
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.server]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def redis_url() -> str:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/9"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        pytest.fail(f"The two-process Wall test needs Redis at {url}: {error}")
    return url


def start_daphne(port: int, environment: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
         "community.asgi:application"],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )


def wait_for(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"daphne exited: {process.stdout.read()}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("daphne did not start within 60 seconds")


def cookie_for(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def open_wall(port: int, cookie: str):
    socket = await websockets.connect(
        f"ws://127.0.0.1:{port}/ws/wall/talking-therapies/",
        origin=f"http://127.0.0.1:{port}", additional_headers={"Cookie": cookie},
    )
    hello = json.loads(await asyncio.wait_for(socket.recv(), 10))
    assert hello["type"] == "hello"
    await socket.send(json.dumps({"type": "resume", "last_seq": hello["last_seq"]}))
    return socket


async def next_message_event(socket, timeout=10) -> dict:
    while True:
        data = json.loads(await asyncio.wait_for(socket.recv(), timeout))
        if data["type"] == "event" and data["kind"] == "message":
            return data


def test_a_message_posted_through_one_process_reaches_a_client_of_the_other(people, talking):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(DJANGO_DEBUG="true", DATABASE_URL=database_url(), REDIS_URL=redis_url(),
                       DJANGO_SETTINGS_MODULE="community.settings")
    ports = [free_port(), free_port()]
    processes = [start_daphne(port, environment) for port in ports]
    # Moderators may post outside office hours, so the test holds on any day.
    poster, reader = cookie_for(people["volunteer"]), cookie_for(people["member"])
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_for(port, process)

        async def scenario():
            listening = await open_wall(ports[1], reader)
            posting = await open_wall(ports[0], poster)
            await posting.send(json.dumps({"type": "post", "client_id": "across-procs-1",
                                           "body": "Across two processes"}))
            event = await next_message_event(listening)
            assert event["payload"]["body_html"] == "<p>Across two processes</p>"
            assert event["payload"]["author"] == "Volunteer Heron"
            await posting.close()
            await listening.close()

        asyncio.run(scenario())
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.communicate(timeout=30)
