"""Daphne's transport writes at once (community/eager_writes.py), and loses nothing by it: every
byte arrives, in order, before the close, whether the socket takes it all at once or the reader
is slow and the rest must wait in Twisted's buffer."""

from __future__ import annotations

import select
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.live_servers import free_port

ROOT = Path(__file__).resolve().parent.parent
SERVER_SECONDS = 30


@pytest.fixture
def chunk_server():
    servers = []

    def start(chunks: int, chunk_bytes: int, mode: str) -> tuple[int, subprocess.Popen]:
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "tests.eager_write_server", str(port), str(chunks),
             str(chunk_bytes), mode],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        servers.append(server)
        # Not a probe connection: the server counts for the test's own connection only.
        assert line_within(server, SERVER_SECONDS).strip() == "listening", \
            "the chunk server did not start"
        return port, server

    yield start
    for server in servers:
        server.kill()
        server.wait(timeout=10)


def read_all(port: int, *, pause_first: float = 0.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as reader:
        time.sleep(pause_first)  # meanwhile the server's socket fills up
        received = bytearray()
        while chunk := reader.recv(65536):
            received += chunk
    return bytes(received)


def expected(chunks: int, chunk_bytes: int) -> bytes:
    return b"".join(bytes([n % 256]) * chunk_bytes for n in range(chunks))


def line_within(server: subprocess.Popen, seconds: float) -> str:
    """The server's next line of output; a helper that hangs fails the test instead of holding
    up the suite. (The server prints its two lines far apart, so none waits unseen in the
    pipe's read buffer while select() looks at the pipe.)"""
    ready, _, _ = select.select([server.stdout], [], [], seconds)
    assert ready, f"the server said nothing within {seconds} s"
    return server.stdout.readline()


def watch_requests(server: subprocess.Popen) -> int:
    deadline = time.monotonic() + SERVER_SECONDS
    while line := line_within(server, max(deadline - time.monotonic(), 0)):
        if line.startswith("watch requests:"):
            return int(line.split(":")[1])
    raise AssertionError("the server ended without reporting")


def test_frames_a_socket_can_take_are_written_without_waiting_for_the_loop(chunk_server):
    port, server = chunk_server(200, 300, "TICKS")
    assert read_all(port) == expected(200, 300)
    # Only the close asks the loop to watch the socket; Twisted alone asks for every frame.
    assert watch_requests(server) <= 1


def test_a_slow_reader_gets_every_byte_in_order_before_the_close(chunk_server):
    # 32 MiB is far more than the socket buffers hold: a write is partial, the rest waits in
    # Twisted's buffer, and later writes must queue behind it.
    port, server = chunk_server(256, 128 * 1024, "SPREAD")
    assert read_all(port, pause_first=0.5) == expected(256, 128 * 1024)
    assert watch_requests(server) >= 1


def test_a_slow_reader_of_many_frames_gets_them_all_in_order(chunk_server):
    port, server = chunk_server(1600, 20_000, "TICKS")
    assert read_all(port, pause_first=0.5) == expected(1600, 20_000)
    assert watch_requests(server) >= 1
