"""Daphne's sockets write at once when nothing is waiting to be written.

Twisted's TCP transport never writes in `write()`: it buffers the bytes, asks the event loop to
watch the socket for writability, writes when told it may, and stops watching. For the Wall that
is an epoll registration and an unregistration, and a turn of the loop, for every frame to every
socket: a large share of the server's CPU per delivery (docs/performance.md). asyncio's own
transports try the write first and fall back to the buffer; this does the same for Twisted's.

Only when nothing is buffered, so bytes can never overtake earlier ones; never while the
connection is closing; and not with a pull producer, which Twisted asks for more only once the
buffer drains.
"""

from __future__ import annotations

from twisted.internet import tcp

_buffered_write = tcp.Connection.write


def _nothing_waiting(connection) -> bool:
    # Twisted's own (private) attributes: should a release rename one, getattr's default makes
    # every write take Twisted's buffered way again, which is slower but always correct.
    return (
        getattr(connection, "connected", False)
        and not getattr(connection, "disconnecting", True)
        and not getattr(connection, "_writeDisconnected", True)
        and getattr(connection, "_tempDataLen", None) == 0
        and getattr(connection, "offset", None) == len(getattr(connection, "dataBuffer", b"-"))
        and (getattr(connection, "producer", True) is None
             or getattr(connection, "streamingProducer", False))
    )


def _write(self, data: bytes) -> None:
    if type(data) is bytes and data and _nothing_waiting(self):
        sent = self.writeSomeData(data)
        # An int is what the socket took; anything else (a lost connection) goes the buffered
        # way, where Twisted finds and reports it as it always has.
        if type(sent) is int and sent > 0:
            if sent == len(data):
                return
            data = data[sent:]
    _buffered_write(self, data)


def write_eagerly() -> None:
    tcp.Connection.write = _write
