"""How a request's body and CSRF token are read (server/intake.py) and when htmx is asking
(server/web.py): read straight from the ASGI messages, with Litestar's limits and refusals."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from litestar.config.csrf import CSRFConfig
from litestar.exceptions import ClientException, InternalServerException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.middleware.csrf import generate_csrf_token

from server.intake import CSRFMiddleware, Request, _checked
from server.web import is_htmx

LIMIT = 64
FORM = b"application/x-www-form-urlencoded"


def request(chunks: list[bytes], headers=(), disconnect=False) -> Request:
    """A request whose body arrives as ``chunks`` (one ASGI message each), under LIMIT."""
    messages = [
        {"type": "http.request", "body": chunk, "more_body": n < len(chunks) - 1}
        for n, chunk in enumerate(chunks)
    ]
    if disconnect:
        messages[-1]["more_body"] = True
        messages.append({"type": "http.disconnect"})

    async def receive():
        return messages.pop(0)

    handler = SimpleNamespace(resolve_request_max_body_size=lambda: LIMIT)
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/acts",
        "headers": [(b"content-type", FORM), *headers],
        "query_string": b"",
        "route_handler": handler,
        "state": {},
    }
    return Request(scope, receive)


def read(req: Request) -> bytes:
    return asyncio.run(req.body())


def test_a_body_in_pieces_is_read_whole_and_kept_for_a_second_read():
    req = request([b"id=1&", b"", b"note=kind"])

    async def twice():
        return await req.body(), await req.body()

    assert asyncio.run(twice()) == (b"id=1&note=kind", b"id=1&note=kind")


def test_too_much_is_refused_whether_announced_or_only_sent():
    announced = request([b"x"], headers=[(b"content-length", str(LIMIT + 1).encode())])
    with pytest.raises(RequestEntityTooLarge):
        read(announced)
    # No Content-Length (chunked): counted as it arrives.
    with pytest.raises(RequestEntityTooLarge):
        read(request([b"x" * 40, b"x" * 40]))
    assert read(request([b"x" * 40, b"x" * 24])) == b"x" * LIMIT


def test_a_nonsense_length_or_a_client_gone_midway_is_refused():
    with pytest.raises(ClientException, match="Invalid content-length"):
        read(request([b"a=1"], headers=[(b"content-length", b"ten")]))
    with pytest.raises(InternalServerException):
        read(request([b"a=1"], disconnect=True))


def test_a_form_keeps_blank_fields_the_last_of_a_repeated_one_and_utf8_escapes():
    req = request([b"note=caf%C3%A9+time&mood_before=&id=1&id=2"])
    assert asyncio.run(req.fields()) == {"note": "café time", "mood_before": "", "id": "2"}


def csrf(**kwargs) -> CSRFMiddleware:
    return CSRFMiddleware(app=None, config=CSRFConfig(secret="s" * 32, **kwargs))


def test_a_csrf_token_must_be_ours_even_when_header_and_cookie_agree():
    check = csrf()
    mine, other = generate_csrf_token("s" * 32), generate_csrf_token("s" * 32)
    forged = "a" * 64 + "b" * 64
    assert check._match(mine, mine)
    assert not check._match(forged, forged)
    assert not check._match(mine, other)  # both ours, but different secrets
    assert not check._match("é" * 128, "é" * 128)
    assert not check._match(mine + "0", mine + "0") and not check._match(mine[:-1], mine[:-1])


def test_forged_tokens_of_any_size_are_not_kept():
    check, before = csrf(), _checked.cache_info().currsize
    for n in range(50):
        forged = f"{n:064x}" + "f" * 60_000
        assert not check._match(forged, forged)
    assert _checked.cache_info().currsize == before


@pytest.mark.parametrize(
    ("headers", "asked"),
    [
        ([(b"hx-request", b"true")], True),
        ([], False),
        ([(b"hx-request", b"false")], False),
        # Restoring its history, htmx wants the whole page.
        ([(b"hx-request", b"true"), (b"hx-history-restore-request", b"true")], False),
    ],
)
def test_htmx_asks_for_a_fragment_unless_restoring_its_history(headers, asked):
    assert is_htmx(SimpleNamespace(scope={"headers": headers})) is asked
