"""A client process of the Wall scenarios: many WebSockets, each signed in as its own person.

Run by the harness as `python -m bench.wall_client`; it talks JSON lines over stdin/stdout:

  in : {"url", "origin", "cookies": [...], "role": "receive"|"post", "prefix", ...}
  out: {"event": "ready", "connected": n, "failed": [...]}
  in : {"cmd": "go"}                      (posters start posting at `rate` a second)
  out: {"event": "posted", "sent": {client_id: time}, ...}                       (posters)
  in : {"cmd": "stop", "expected": [client_id, ...], "drain": seconds}           (receivers)
  out: {"event": "result", "receipts": {client_id: [time, ...]}, "stamps": {...}, ...}

Receivers note the wall-clock time of each frame before parsing it. Several client processes
share the sockets of a large run, so that the clients are not what limits delivery.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from datetime import datetime

from websockets.asyncio.client import connect

from bench.environment import raise_file_limit

CONNECT_TIMEOUT = 60


async def read_command(reader: asyncio.StreamReader) -> dict:
    line = await reader.readline()
    if not line:
        raise SystemExit(0)  # the harness went away
    return json.loads(line)


def say(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


class Client:
    """Connect every socket, then listen; message events with our prefix are timed."""

    def __init__(self, config: dict):
        self.config = config
        self.prefix = config["prefix"]
        self.sockets = []
        self.failed: list[str] = []
        self.receipts: dict[str, list[float]] = {}
        self.stamps: dict[str, float] = {}
        self.acks: dict[str, float] = {}
        self.errors: list[str] = []
        self.other_frames = 0
        self.duplicates = 0  # a message a socket received again: counted once, reported
        self.progress = asyncio.Event()

    async def open_one(self, cookie: str, gate: asyncio.Semaphore) -> None:
        async with gate:
            try:
                socket = await asyncio.wait_for(connect(
                    self.config["url"], origin=self.config["origin"],
                    additional_headers={"Cookie": cookie}, max_size=2 ** 22,
                    ping_interval=None, compression=None), CONNECT_TIMEOUT)
                hello = json.loads(await asyncio.wait_for(socket.recv(), CONNECT_TIMEOUT))
                if hello.get("type") != "hello":
                    raise RuntimeError(f"expected hello, got {hello.get('type')}")
                await socket.send(json.dumps({"type": "resume", "last_seq": hello["last_seq"]}))
            except Exception as error:  # noqa: BLE001 - reported, never hidden
                self.failed.append(f"{type(error).__name__}: {error}"[:200])
                return
            self.sockets.append(socket)

    async def listen(self, socket) -> None:
        receipts, prefix = self.receipts, self.prefix
        seen: set[str] = set()
        try:
            async for frame in socket:
                received = time.time()
                data = json.loads(frame)
                kind = data.get("type")
                if kind == "event" and data.get("kind") == "message":
                    payload = data["payload"]
                    client_id = payload.get("client_id") or ""
                    if client_id.startswith(prefix):
                        if client_id in seen:
                            self.duplicates += 1
                            continue
                        seen.add(client_id)
                        receipts.setdefault(client_id, []).append(received)
                        if client_id not in self.stamps:
                            self.stamps[client_id] = datetime.fromisoformat(
                                payload["created_at"]).timestamp()
                        self.progress.set()
                        continue
                elif kind == "ack":
                    self.acks[data["client_id"]] = received
                    continue
                elif kind == "error":
                    self.errors.append(f"{data.get('code')}: {data.get('message')}"[:200])
                self.other_frames += 1
        except Exception as error:  # noqa: BLE001 - a dropped socket is counted, not fatal
            self.errors.append(f"closed: {type(error).__name__}"[:200])

    async def post(self, rate: float, duration: float, body_bytes: int) -> dict:
        """Round-robin over this client's sockets at a fixed schedule, `rate` a second."""
        sent: dict[str, float] = {}
        count = int(rate * duration)
        start = time.monotonic() + 0.2
        base = "I hear you, and I have been there too. " * (body_bytes // 40 + 1)
        for index in range(count):
            delay = start + index / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            client_id = f"{self.prefix}{index:06d}"
            socket = self.sockets[index % len(self.sockets)]
            sent[client_id] = time.time()
            await socket.send(json.dumps({"type": "post", "client_id": client_id,
                                          "body": f"{index} {base}"[:body_bytes]}))
        return sent

    async def run(self) -> None:
        raise_file_limit()
        if not self.config["cookies"]:
            raise SystemExit("no sockets to open")
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        # Few handshakes at a time per client process: daphne drops a handshake the application
        # has not accepted within 5 seconds, and the consumers' database work is done one
        # connection at a time, so a stampede of thousands measures refusals, not fan-out.
        gate = asyncio.Semaphore(self.config.get("connect_concurrency", 2))
        started = time.monotonic()
        await asyncio.gather(*(self.open_one(cookie, gate) for cookie in self.config["cookies"]))
        listeners = [asyncio.ensure_future(self.listen(socket)) for socket in self.sockets]
        say({"event": "ready", "connected": len(self.sockets), "failed": self.failed[:5],
             "failed_count": len(self.failed),
             "connect_seconds": round(time.monotonic() - started, 2)})
        while True:
            command = await read_command(reader)
            if command["cmd"] == "go":
                sent = await self.post(command["rate"], command["duration"],
                                       command.get("body_bytes", 200))
                # Wait for the acknowledgements (the request's end), a few seconds at most.
                deadline = time.monotonic() + command.get("drain", 10)
                while len(self.acks) < len(sent) and time.monotonic() < deadline:
                    await asyncio.sleep(0.05)
                say({"event": "posted", "sent": sent, "acks": self.acks,
                     "errors": self.errors[:20], "error_count": len(self.errors)})
            elif command["cmd"] == "stop":
                await self.drain(set(command["expected"]), command.get("drain", 10))
                say({"event": "result", "receipts": self.receipts, "stamps": self.stamps,
                     "sockets": len(self.sockets), "errors": self.errors[:20],
                     "error_count": len(self.errors), "other_frames": self.other_frames,
                     "duplicates": self.duplicates})
                for listener in listeners:
                    listener.cancel()
                await asyncio.gather(*(socket.close() for socket in self.sockets),
                                     return_exceptions=True)
                return

    async def drain(self, expected: set[str], seconds: float, most: float = 300) -> None:
        """Wait until every socket has every expected message, or nothing more has arrived for
        `seconds`: a server that falls behind still delivers late, and late is not lost. Never
        longer than `most` seconds."""
        deadline = time.monotonic() + most
        wanted = len(self.sockets)
        while time.monotonic() < deadline:
            if all(len(self.receipts.get(client_id, ())) >= wanted for client_id in expected):
                return
            self.progress.clear()
            try:
                await asyncio.wait_for(self.progress.wait(), seconds)
            except TimeoutError:
                return


def main() -> None:
    config = json.loads(sys.stdin.readline())
    asyncio.run(Client(config).run())


if __name__ == "__main__":
    main()
