"""server/web.py's shortcuts past Litestar and Jinja: the same answers and markup as the long
way, which they exist only to reach sooner."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from jinja2 import ChoiceLoader, DictLoader
from litestar import MediaType, Response
from litestar.datastructures.cookie import Cookie

from server.app import create_app
from server.settings import Settings
from server.web import HTML, render


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    made = create_app(Settings.from_env({"LIFTED_DATA_DIR": str(data)}))
    jinja = made.template_engine.engine
    # A template that leans on the app's globals (an asset's URL, the clock, the nav).
    uses_globals = "{{ asset_url('app.css') }}|{{ clock('07:30') }}|{{ nav_items[0][1] }}|{{ x }}"
    jinja.loader = ChoiceLoader([DictLoader({"globals.html": uses_globals}), jinja.loader])
    return made


def sent(answer) -> list[dict]:
    messages: list[dict] = []

    async def send(message):
        messages.append(message)

    asyncio.run(answer({"type": "http"}, None, send))
    return messages


def as_litestar_would(response: Response, **kwargs) -> list[dict]:
    request = SimpleNamespace()
    found = sent(response.to_asgi_response(app=None, request=request, **kwargs))
    for message in found:
        if "headers" in message:
            message["headers"] = sorted(message["headers"])
    return found


def test_an_html_answer_is_what_litestars_response_would_send():
    body = "<p>3 acts of kindness today</p>" * 3
    headers = {"Vary": "HX-Request", "Lifted-Outcome": "held"}
    # How Litestar calls it for a POST route: its default status and no route headers.
    route = {"status_code": 201, "headers": {}, "cookies": [], "media_type": MediaType.JSON}
    ours = as_litestar_would(HTML(body, status_code=422, headers=headers), **route)
    theirs = as_litestar_would(
        Response(body, media_type=MediaType.HTML, status_code=422, headers=headers), **route
    )
    assert ours == theirs
    assert ours[0]["status"] == 422 and ours[1]["body"] == body.encode()


@pytest.mark.parametrize("cookies", [[], [Cookie(key="seen", value="1")]])
def test_cookies_or_route_headers_still_reach_the_answer(cookies):
    route = {"headers": {"X-Route": "yes", "Vary": "Cookie"}, "cookies": cookies}
    mine = {"Vary": "HX-Request"}  # the answer's own header wins over the route's
    ours = as_litestar_would(HTML("<p>hi</p>", headers=mine), **route)
    litestars = Response("<p>hi</p>", media_type=MediaType.HTML, headers=mine)
    assert ours == as_litestar_would(litestars, **route)
    assert (b"x-route", b"yes") in ours[0]["headers"]
    assert (b"vary", b"HX-Request") in ours[0]["headers"]
    assert any(name == b"set-cookie" for name, _ in ours[0]["headers"]) == bool(cookies)


def test_an_html_answer_holds_what_litestars_response_holds():
    # Litestar is pinned; an upgrade that adds to Response must be looked at here.
    answer = HTML("x")
    assert all(hasattr(answer, name) for name in Response.__slots__)


@pytest.mark.parametrize("template", ["acts/_status.html", "globals.html"])
def test_render_gives_what_jinja_gives(app, template):
    request = SimpleNamespace(app=app, state={})
    status = SimpleNamespace(count=2, date="2026-12-05", counts=(), week_counts="", error=None,
                             act=None, message="Removed. No harm done.", count_text="2 acts",
                             page="/")  # fmt: skip
    context = {"status": status, "request": request, "csrf_input": "", "x": "<b>"}
    jinja = app.template_engine.get_template(template)
    expected = jinja.render(**context)
    assert render(request, template, **context) == expected
    assert render(request, template, **context) == expected  # the kept globals, again
    assert "Removed. No harm done." in expected or expected.startswith("/static/app.")
    assert "&lt;b&gt;" in expected or template.startswith("acts/")


def outcome(response: Response, **kwargs):
    try:
        return as_litestar_would(response, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the kind of failure is what is compared
        return type(exc)


@pytest.mark.parametrize(
    ("status", "headers", "route"),
    [
        (204, {}, {}),  # no body allowed: Litestar refuses one
        (304, {"ETag": '"x"'}, {}),
        (200, {"Content-Type": "text/plain"}, {}),  # set by the caller: kept, not doubled
        (200, {"Content-Length": "3"}, {}),
        (200, {"Retry-After": 5}, {}),  # not text: Litestar says so
        (200, {}, {"encoded_headers": [(b"x-encoded", b"1")]}),
        (200, {}, {"is_head_response": True}),
    ],
)
def test_anything_unusual_is_answered_exactly_as_litestar_would(status, headers, route):
    ours = outcome(HTML("<p>hi</p>", status_code=status, headers=headers), **route)
    theirs = outcome(
        Response("<p>hi</p>", media_type=MediaType.HTML, status_code=status, headers=headers),
        **route,
    )
    assert ours == theirs
