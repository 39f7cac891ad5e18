"""server/serving.py: an answer's status line, headers and body leave in one write, and
nothing written is lost, reordered or held past its turn of the event loop."""

from __future__ import annotations

import asyncio

from uvicorn.config import Config
from uvicorn.server import ServerState

from server.serving import Corked, HttpProtocol


class Transport:
    """A socket's transport that records what is written to it."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = self.aborted = False

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = True

    def is_closing(self) -> bool:
        return self.closed or self.aborted

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name: str, default=None):
        return {"peername": ("127.0.0.1", 5000), "sockname": ("127.0.0.1", 8000)}.get(name, default)

    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...


async def test_writes_in_one_turn_leave_together_at_its_end():
    sent = Transport()
    corked = Corked(sent, asyncio.get_running_loop())
    head = bytearray(b"HTTP/1.1 200 OK\r\n\r\n")
    corked.write(head)
    head[:4] = b"XXXX"  # uvicorn may reuse a buffer: what was written is what goes out
    corked.write(b"body")
    assert sent.writes == [] and corked.get_write_buffer_size() == 23
    await asyncio.sleep(0)
    assert sent.writes == [b"HTTP/1.1 200 OK\r\n\r\nbody"]
    corked.write(b"next turn")
    await asyncio.sleep(0)
    assert sent.writes[-1] == b"next turn"


async def test_closing_sends_what_waits_and_aborting_drops_it():
    sent = Transport()
    corked = Corked(sent, asyncio.get_running_loop())
    corked.write(b"last words")
    corked.close()
    assert sent.writes == [b"last words"] and sent.closed
    corked.write(b"too late")  # after close: dropped quietly, as a closed socket does
    await asyncio.sleep(0)
    assert sent.writes == [b"last words"]

    cut = Transport()
    corked = Corked(cut, asyncio.get_running_loop())
    corked.write(b"never")
    corked.abort()
    await asyncio.sleep(0)
    assert cut.writes == [] and cut.aborted


async def app(scope, receive, send):
    await receive()
    headers = [(b"content-type", b"text/plain"), (b"content-length", b"5")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"hello"})


async def test_uvicorn_sends_a_whole_answer_in_one_write():
    config = Config(app, http=HttpProtocol, lifespan="off", log_level="warning")
    protocol = HttpProtocol(config, ServerState(), {}, asyncio.get_running_loop())
    sent = Transport()
    protocol.connection_made(sent)
    protocol.data_received(b"GET / HTTP/1.1\r\nHost: example\r\n\r\n")
    for _ in range(20):
        await asyncio.sleep(0)
    [answer] = sent.writes
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n") and answer.endswith(b"\r\n\r\nhello")


async def test_a_big_body_goes_out_in_the_same_turn():
    sent = Transport()
    corked = Corked(sent, asyncio.get_running_loop())
    corked.write(b"head")
    corked.write(b"x" * 70_000)  # past uvicorn's high-water mark: flow control must see it
    assert sent.writes == [b"head" + b"x" * 70_000]
    assert corked.get_write_buffer_size() == 0
    await asyncio.sleep(0)
    assert len(sent.writes) == 1
