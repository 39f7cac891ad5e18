"""Lifted's compression middleware (server/compression.py): whole bodies in one call, streams
with an encoder of their own, small and already-encoded answers untouched."""

from __future__ import annotations

import asyncio
import gzip

import brotli

from server.compression import MINIMUM, compression

PAGE = b"<p>A small kindness lifts the giver too.</p>" * 60


def run(accept: bytes | None, bodies: list[bytes], headers=()) -> tuple[dict, bytes]:
    async def app(scope, receive, send):
        start = [(b"content-type", b"text/html"), (b"vary", b"HX-Request"), *headers]
        await send({"type": "http.response.start", "status": 200, "headers": start})
        for n, body in enumerate(bodies):
            more = n < len(bodies) - 1
            await send({"type": "http.response.body", "body": body, "more_body": more})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "headers": [(b"accept-encoding", accept)] if accept else []}
    asyncio.run(compression(app)(scope, None, send))
    found = {k.decode(): v.decode() for k, v in sent[0]["headers"]}
    return found, b"".join(m.get("body", b"") for m in sent[1:])


def test_a_page_is_brotli_for_browsers_that_take_it_and_gzip_for_the_rest():
    headers, body = run(b"gzip, deflate, br", [PAGE])
    assert headers["content-encoding"] == "br"
    assert headers["vary"] == "HX-Request, Accept-Encoding"
    assert int(headers["content-length"]) == len(body) < len(PAGE) / 5
    assert brotli.decompress(body) == PAGE
    headers, body = run(b"gzip", [PAGE])
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == PAGE


def test_a_streamed_body_is_compressed_whole_without_a_length():
    headers, body = run(b"br", [PAGE[:500], PAGE[500:], b""])
    assert headers["content-encoding"] == "br" and "content-length" not in headers
    assert brotli.decompress(body) == PAGE


def test_small_unasked_and_already_encoded_answers_go_as_they_are():
    small = PAGE[: MINIMUM - 1]
    headers, body = run(b"br", [small])
    assert "content-encoding" not in headers and body == small
    headers, body = run(None, [PAGE])
    assert "content-encoding" not in headers and body == PAGE
    packed = brotli.compress(PAGE)
    headers, body = run(b"br", [packed], [(b"content-encoding", b"br")])
    assert body == packed
    headers, body = run(b"br", [PAGE], [(b"content-type", b"image/png")])
    assert "content-encoding" not in headers and body == PAGE


def test_a_coding_refused_with_q_0_is_never_used():
    assert run(b"br;q=0, gzip", [PAGE])[0]["content-encoding"] == "gzip"
    assert "content-encoding" not in run(b"gzip;q=0", [PAGE])[0]
    assert "content-encoding" not in run(b"br;q=0, gzip;q=0.0, identity", [PAGE])[0]
    assert run(b"*", [PAGE])[0]["content-encoding"] == "br"
    assert run(b"deflate, gzip;q=0.5", [PAGE])[0]["content-encoding"] == "gzip"
