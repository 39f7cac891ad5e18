"""How Lifted runs under uvicorn: its options, and each answer's bytes in one write.

uvicorn writes an answer's status line and headers as soon as the app starts the answer, and
its body in a second write: two system calls, two TCP segments and two wake-ups of the reader
for a tap's few hundred bytes. Here the writes a connection makes within one turn of the
event loop go out together at the end of that turn (the app sends the start of an answer and
a whole body in the same turn), so nearly every answer is one write (bench: about 25 µs of
CPU per tap, a tenth of it). A streamed body still goes out as it comes, a turn at a time.
"""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

FLUSH_AT = 64 * 1024  # bytes held before they go at once (uvicorn's own high-water mark)


class Corked:
    """A transport whose writes within one turn of the event loop are sent as one."""

    __slots__ = ("_held", "_loop", "_pending", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []
        self._held = 0

    def write(self, data: bytes) -> None:
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(bytes(data))  # a bytearray or view may change after this call
        self._held += len(data)
        if self._held >= FLUSH_AT:  # a big or streamed body: on its way now, so the socket's
            self.flush()  # own flow control (pause_writing) sees it in the same turn

    def writelines(self, lines) -> None:
        for data in lines:
            self.write(data)

    def flush(self) -> None:
        if not self._pending:
            return
        data = b"".join(self._pending)
        self._pending.clear()
        self._held = 0
        if not self._transport.is_closing():
            self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def abort(self) -> None:
        self._pending.clear()
        self._held = 0
        self._transport.abort()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + self._held

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class HttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, writing through ``Corked``."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(Corked(transport, self.loop))  # type: ignore[arg-type]


# Seconds an idle keep-alive connection stays open (uvicorn's default, named): a proxy in front
# must let go of its idle connections sooner (deploy/Caddyfile: ``keepalive 3s``), or it may
# send a tap on a connection that is being closed.
KEEP_ALIVE = 5


def run(app: str, *, factory: bool, host: str, port: int, workers: int, log_level: str) -> None:
    """uvicorn with Lifted's options (the benchmarks' floor is served the same way)."""
    uvicorn.run(
        app,
        factory=factory,
        host=host,
        port=port,
        workers=workers,
        http=HttpProtocol,
        access_log=False,  # our own access log leaves query strings and secrets out
        server_header=False,  # names no server software
        log_level=log_level,
        proxy_headers=False,
        timeout_keep_alive=KEEP_ALIVE,
    )
