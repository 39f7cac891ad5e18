"""Pages whose HTML depends only on the content are rendered once per process, compressed
once, and answered with an ETag: a repeat visit with If-None-Match is a 304 (server/pagecache.py).
Nothing of a reader is in them, and reading them asks the database nothing."""

from __future__ import annotations

import pytest

from server import pagecache
from server.articles.content import TOPICS, load_library
from server.settings import ROOT
from tests.integration.support import count_queries, sign_in_as, soup

LIBRARY = load_library(ROOT / "content")
ARTICLE = LIBRARY.articles[0].url
EVERYONE = [
    ARTICLE,
    "/articles",
    f"/articles?topic={next(iter(TOPICS))}",
    "/about",
    "/privacy",
    "/help",
]


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The templates rendered for content pages, in order."""
    seen: list[str] = []
    original = pagecache.render

    def counted(request, template, context):
        seen.append(template)
        return original(request, template, context)

    monkeypatch.setattr(pagecache, "render", counted)
    return seen


@pytest.mark.parametrize("path", [*EVERYONE, "/offline"])
async def test_a_repeat_visit_is_a_304_and_the_page_is_rendered_once(client, renders, path):
    first = await client.get(path)
    assert first.status_code == 200 and first.headers["cache-control"] == "private, no-cache"
    tag = first.headers["etag"]
    again = await client.get(path)
    assert again.text == first.text and again.headers["etag"] == tag
    unchanged = await client.get(path, headers={"If-None-Match": tag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["etag"] == tag
    # Someone else's tag (an older release's page) gets the page itself.
    stale = await client.get(path, headers={"If-None-Match": 'W/"0123456789abcdef01234567"'})
    assert stale.status_code == 200 and stale.text == first.text
    assert len(renders) == 1


async def test_the_pages_carry_nothing_of_their_reader(client):
    await sign_in_as(client, timezone="Europe/Berlin")
    for path in EVERYONE[:-1]:
        html = soup(await client.get(path))
        body = html.select_one("body")
        assert body.has_attr("data-content-only") and not body.has_attr("data-hx-headers"), path
        assert all(not i["value"] for i in html.select("input[name=_csrf_token]")), path


async def test_a_signed_in_reader_reads_without_a_single_query(client, monkeypatch):
    await sign_in_as(client)
    await client.get(ARTICLE)  # rendered once
    rows = count_queries(monkeypatch)
    for path in (ARTICLE, "/articles", "/about", "/privacy"):
        assert (await client.get(path)).status_code == 200
    assert rows == []


async def test_compressed_once_and_sent_as_the_browser_asks(client, renders):
    plain = await client.get(ARTICLE, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    packed = await client.get(ARTICLE, headers={"Accept-Encoding": "br"})
    assert packed.headers["content-encoding"] == "br"
    assert "Accept-Encoding" in packed.headers["vary"]
    assert packed.content == plain.content  # httpx undoes the brotli
    assert int(packed.headers["content-length"]) < len(plain.content) / 3
    assert len(renders) == 1


async def test_help_is_kept_per_region_and_put_the_readers_own_first(client, renders):
    await sign_in_as(client, timezone="Europe/London")
    british = soup(await client.get("/help"))
    client.cookies.clear()
    await sign_in_as(client, timezone="America/Chicago")
    american = soup(await client.get("/help"))
    await client.get("/help")
    assert british.select_one("h2").get_text() != american.select_one("h2").get_text()
    assert renders == ["articles/help.html", "articles/help.html"]


async def test_a_mistyped_topic_is_answered_but_not_kept(client, renders):
    for _ in range(3):
        html = soup(await client.get("/articles?topic=nonsense"))
        assert "no topic called" in html.select_one(".notice").get_text()
    assert len(renders) == 3
