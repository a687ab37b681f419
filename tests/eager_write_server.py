"""A Twisted TCP server on the asyncio reactor, as daphne runs it, with Harbour's eager writes:
for tests/test_eager_writes.py. On each connection it writes CHUNKS chunks of CHUNK_BYTES (chunk
n is the byte n % 256 repeated), then closes; each chunk goes out `SPREAD` (one call a chunk,
in one turn of the loop) or `TICKS` (a chunk a turn, as Wall frames go). When the connection
ends it prints how often the transport asked the loop to watch for writability.

    python -m tests.eager_write_server PORT CHUNKS CHUNK_BYTES SPREAD|TICKS
"""

from __future__ import annotations

import sys

from twisted.internet import asyncioreactor

asyncioreactor.install()

from twisted.internet import protocol, reactor, tcp  # noqa: E402

from community.eager_writes import write_eagerly  # noqa: E402

write_eagerly()

watch_requests = 0
_start_writing = tcp.Connection.startWriting


def _counted_start_writing(self):
    global watch_requests
    watch_requests += 1
    _start_writing(self)


tcp.Connection.startWriting = _counted_start_writing


class Chunks(protocol.Protocol):
    def connectionMade(self):
        self.next_chunk = 0
        if MODE == "SPREAD":
            while self.next_chunk < CHUNKS:
                self._write_one()
            self.transport.loseConnection()
        else:
            self._tick()

    def _write_one(self):
        self.transport.write(bytes([self.next_chunk % 256]) * CHUNK_BYTES)
        self.next_chunk += 1

    def _tick(self):
        if self.next_chunk == CHUNKS:
            self.transport.loseConnection()
            return
        self._write_one()
        reactor.callLater(0, self._tick)

    def connectionLost(self, reason=None):
        print(f"watch requests: {watch_requests}", flush=True)


if __name__ == "__main__":
    PORT, CHUNKS, CHUNK_BYTES = (int(value) for value in sys.argv[1:4])
    MODE = sys.argv[4]
    factory = protocol.Factory.forProtocol(Chunks)
    reactor.listenTCP(PORT, factory, interface="127.0.0.1")
    print("listening", flush=True)
    reactor.run()
