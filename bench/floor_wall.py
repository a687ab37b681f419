"""The floor of the Wall scenario: a plain `websockets` broadcast server speaking just enough of
the Wall's protocol for the same clients (hello, resume, post, ack, event) and sending events of
the same shape and size. No sessions, database, channel layer or checks: what any Python
WebSocket server pays to deliver the same frames.

    python -m bench.floor_wall --port 8765
"""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import UTC, datetime
from html import escape

from websockets.asyncio.server import broadcast, serve

from bench.environment import raise_file_limit


class FloorWall:
    def __init__(self):
        self.sockets = set()
        self.seq = 0
        self.next_id = 1

    async def handle(self, socket):
        self.sockets.add(socket)
        try:
            await socket.send(json.dumps({
                "type": "hello", "open": True, "changes_at": None, "last_seq": self.seq,
                "slow_mode": 0, "pinned": None, "moderator": False,
            }))
            async for frame in socket:
                data = json.loads(frame)
                if data.get("type") == "post":
                    await self.post(socket, data)
        finally:
            self.sockets.discard(socket)

    async def post(self, socket, data: dict) -> None:
        self.seq += 1
        message_id, self.next_id = self.next_id, self.next_id + 1
        # The same fields and sizes as wall.events.message_payload.
        payload = {
            "id": message_id, "client_id": data["client_id"], "author": "Bench Volunteer 00000",
            "author_id": 1, "avatar": "/static/community/avatars/lighthouse.svg",
            "badge": "Volunteer", "body_html": f"<p>{escape(data['body'])}</p>",
            "reply_to": None, "status": "published", "held_because": "",
            "created_at": datetime.now(UTC).isoformat(), "reactions": {},
        }
        frame = json.dumps({"type": "event", "seq": self.seq, "kind": "message",
                            "payload": payload})
        broadcast(self.sockets, frame)
        await socket.send(json.dumps({"type": "ack", "client_id": data["client_id"],
                                      "id": message_id, "status": "published", "tier": "",
                                      "out_of_hours": False}))


async def serve_forever(port: int) -> None:
    raise_file_limit()
    floor = FloorWall()
    async with serve(floor.handle, "127.0.0.1", port, max_size=2 ** 20, ping_interval=None,
                     compression=None, max_queue=None):
        await asyncio.Future()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(serve_forever(parser.parse_args().port))


if __name__ == "__main__":
    main()
