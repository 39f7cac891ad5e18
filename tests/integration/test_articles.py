"""The reading library through the app: list, filter, articles, read state, help and offline."""

from __future__ import annotations

import shutil

from bs4 import BeautifulSoup

from server.app import create_app
from server.articles.content import TOPICS, load_library
from server.articles.models import ArticleRead
from server.settings import ROOT
from tests.integration.app_client import AppClient
from tests.integration.conftest import make_settings
from tests.integration.support import csrf_token, soup
from tests.support import service_worker_config

LIBRARY = load_library(ROOT / "content")
TITLES = [a.title for a in LIBRARY.articles]


def entry_titles(html: BeautifulSoup) -> list[str]:
    return [a.get_text(strip=True) for a in html.select(".article-list li[data-slug] h2 a")]


def finished(html: BeautifulSoup) -> set[str]:
    return {
        li["data-slug"]
        for li in html.select(".article-list li[data-slug]")
        if not li.select_one(".finished-badge").has_attr("hidden")
    }


async def finished_of(client) -> tuple[bool, set[str]]:
    """(known, finished slugs): what reader.js learns for the pages made for everyone."""
    response = await client.get("/articles/reads")
    assert response.headers["cache-control"] == "no-store"
    answer = response.json()
    return answer["known"], set(answer["finished"])


async def mark(client, slug: str, action: str = "read"):
    token = await csrf_token(client)
    return await client.post(
        f"/articles/{slug}/{action}", data={"_csrf_token": token}, follow_redirects=False
    )


async def test_library_lists_every_article_with_its_details(client):
    response = await client.get("/articles")
    assert response.status_code == 200
    html = soup(response)
    assert html.select_one("h1").get_text(strip=True) == "Read"
    assert entry_titles(html) == TITLES and len(TITLES) == 10
    first = html.select_one(".article-list li[data-slug]")
    article = LIBRARY.articles[0]
    assert first.select_one("h2 a")["href"] == f"/articles/{article.slug}"
    assert article.summary in first.get_text()
    assert f"{article.minutes} min read" in first.get_text()
    topics = [t.get_text(strip=True) for t in first.select(".topic")]
    assert topics == [label for _, label in article.topic_labels]
    assert finished(html) == set()
    assert html.select_one("nav[aria-label=Main] a[aria-current=page]").get_text(strip=True) == (
        "Read"
    )


async def test_each_article_renders_its_headings_and_reflection(client):
    for article in LIBRARY.articles:
        response = await client.get(f"/articles/{article.slug}")
        assert response.status_code == 200, article.slug
        html = soup(response)
        assert [h.get_text() for h in html.select("h1")] == [article.title]
        assert [h.get_text() for h in html.select(".prose h2, .prose h3")] == list(article.headings)
        assert html.select_one(".reflection p").get_text() == article.reflection
        assert html.select_one(".try-today p").get_text() == article.idea_text
        logs = html.select_one('.try-today form[action="/acts"][data-outbox-form]')
        assert logs.select_one("button").get_text(strip=True) == "Log it on Today"
        assert logs.select_one("input[name=next]")["value"] == f"/articles/{article.slug}"
        form = html.select_one(f'form[action="/articles/{article.slug}/read"]')
        assert form.select_one("input[name=_csrf_token]")
        assert form.select_one("button").get_text(strip=True) == "Mark as read"


async def test_previous_and_next_follow_reading_order(client):
    first, second, third = LIBRARY.articles[:3]
    html = soup(await client.get(f"/articles/{second.slug}"))
    assert html.select_one("a[rel=prev]")["href"] == first.url
    assert html.select_one("a[rel=next]")["href"] == third.url
    html = soup(await client.get(f"/articles/{first.slug}"))
    assert not html.select_one("a[rel=prev]") and html.select_one("a[rel=next]")
    html = soup(await client.get(LIBRARY.articles[-1].url))
    assert html.select_one("a[rel=prev]") and not html.select_one("a[rel=next]")


async def test_article_has_title_description_and_open_graph(client):
    article = LIBRARY.get("healing-through-helping")
    html = soup(await client.get(article.url))
    assert html.select_one("title").get_text() == f"{article.title} · Lifted"
    assert html.select_one("meta[name=description]")["content"] == article.summary
    og = {m["property"]: m["content"] for m in html.select("meta[property^='og:']")}
    assert og["og:title"] == article.title
    assert og["og:description"] == article.summary
    assert og["og:type"] == "article"
    assert og["og:url"] == "http://127.0.0.1:8000/articles/healing-through-helping"
    assert html.select_one("link[rel=canonical]")["href"] == og["og:url"]


async def test_unknown_article_is_a_404_page(client):
    response = await client.get("/articles/no-such-reading")
    assert response.status_code == 404
    html = soup(response)
    assert html.select_one("h1").get_text(strip=True) == "We couldn't find that page"
    assert html.select_one("nav[aria-label=Main]")
    assert (await mark(client, "no-such-reading")).status_code == 404


async def test_topic_filter_as_page_and_as_htmx_fragment(client):
    expected = [a.title for a in LIBRARY.articles if "science" in a.topics]
    assert 0 < len(expected) < 10
    page = await client.get("/articles?topic=science")
    assert page.status_code == 200
    html = soup(page)
    assert html.select_one("h1") and html.select_one("nav[aria-label=Main]")
    assert entry_titles(html) == expected
    current = html.select_one(".topic-filter a[aria-current=page]")
    assert current.get_text(strip=True) == "Science"
    assert "Science · Read" in html.select_one("title").get_text()

    fragment = await client.get("/articles?topic=science", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    part = soup(fragment)
    assert not part.select_one("html, h1, nav[aria-label=Main]")
    assert part.select_one("#library") and entry_titles(part) == expected
    assert part.select_one(".topic-filter a[aria-current=page]").get_text(strip=True) == "Science"
    assert "hx-request" in fragment.headers["vary"].lower()

    everything = soup(await client.get("/articles", headers={"HX-Request": "true"}))
    assert entry_titles(everything) == TITLES
    link = everything.select_one('.topic-filter a[href="/articles?topic=recovery"]')
    assert link["data-hx-get"] == "/articles?topic=recovery"


async def test_unknown_topic_shows_everything_with_a_note(client):
    response = await client.get("/articles?topic=<b>sadness</b>")
    assert response.status_code == 200
    html = soup(response)
    assert entry_titles(html) == TITLES
    note = html.select_one(".notice").get_text()
    assert "no topic called “<b>sadness</b>”" in note
    assert "<b>sadness</b>" not in response.text  # shown as text, never as markup


async def test_mark_as_read_is_kept_and_shown_finished(client):
    slug = LIBRARY.articles[2].slug
    response = await mark(client, slug)
    assert response.status_code == 303
    assert response.headers["location"] == f"/articles/{slug}?mine=1#finish"
    assert "lifted_session=" in response.headers["set-cookie"]
    assert await ArticleRead.filter(slug=slug).count() == 1

    assert await finished_of(client) == (True, {slug})
    # The pages themselves are everyone's (reader.js shows the marks): the same bytes.
    mine = [(await client.get(path)).text for path in ("/articles", f"/articles/{slug}")]
    kept = dict(client.cookies)
    client.cookies.clear()
    assert [(await client.get(path)).text for path in ("/articles", f"/articles/{slug}")] == mine
    client.cookies.update(kept)
    page = soup(await client.get(f"/articles/{slug}"))
    finish = page.select_one("#finish")
    assert "You've finished this reading" in finish.select_one('[data-finish="read"]').get_text()
    assert finish.select_one(f'[data-finish="read"] form[action="/articles/{slug}/unread"]')
    assert finish.select_one(f'[data-finish="unread"] form[action="/articles/{slug}/read"]')

    # A second tap keeps one record; unmarking takes it away again.
    assert (await mark(client, slug)).status_code == 303
    assert await ArticleRead.filter(slug=slug).count() == 1
    assert (await mark(client, slug, "unread")).status_code == 303
    assert await finished_of(client) == (True, set())


async def test_without_javascript_the_reader_marks_it_on_their_own_copy(client):
    slug = LIBRARY.articles[3].slug
    shared = soup(await client.get(f"/articles/{slug}"))
    # The page made for everyone: the forms wait for reader.js; a <noscript> link instead.
    assert all(block.has_attr("hidden") for block in shared.select("#finish [data-finish]"))
    link = shared.select_one("#finish noscript a")
    assert link["href"] == f"/articles/{slug}?mine=1#finish"
    own = soup(await client.get(link["href"].split("#")[0]))
    form = own.select_one('#finish [data-finish="unread"]:not([hidden]) form')
    token = form.select_one("input[name=_csrf_token]")["value"]
    assert token
    sent = await client.post(form["action"], data={"_csrf_token": token}, follow_redirects=False)
    assert sent.status_code == 303
    own = soup(await client.get(f"/articles/{slug}?mine=1"))
    assert "You've finished" in own.select_one('#finish [data-finish="read"]:not([hidden])').text
    assert own.select_one('#finish [data-finish="unread"]').has_attr("hidden")


async def test_read_state_belongs_to_one_reader(client):
    slug = LIBRARY.articles[0].slug
    await mark(client, slug)
    assert await finished_of(client) == (True, {slug})
    client.cookies.clear()
    assert await finished_of(client) == (False, set())


async def test_mark_as_read_needs_the_csrf_token(client):
    response = await client.post(f"/articles/{LIBRARY.articles[0].slug}/read")
    assert response.status_code == 403
    assert await ArticleRead.all().count() == 0


async def test_home_offers_todays_reading_from_the_unread(client):
    html = soup(await client.get("/"))
    section = html.select_one(".todays-reading")
    assert section.select_one("h2").get_text(strip=True) == "Today's reading"
    assert section.select_one("a")["href"] in {a.url for a in LIBRARY.articles}
    last = LIBRARY.articles[-1]
    for article in LIBRARY.articles[:-1]:
        await mark(client, article.slug)
    section = soup(await client.get("/")).select_one(".todays-reading")
    assert section.select_one("a")["href"] == last.url
    assert "read every article" not in section.get_text()
    await mark(client, last.slug)
    section = soup(await client.get("/")).select_one(".todays-reading")
    assert "You've read every article" in section.get_text()
    assert section.select_one("a")["href"] in {a.url for a in LIBRARY.articles}


async def test_help_page_lists_crisis_lines_and_says_what_lifted_is_not(client):
    response = await client.get("/help")
    assert response.status_code == 200
    html = soup(response)
    assert html.select_one("h1").get_text(strip=True) == "Need help now?"
    text = html.select_one("main").get_text(" ")
    assert "988" in text and "116 123" in text
    assert html.select_one('a[href="tel:988"]') and html.select_one('a[href="tel:116123"]')
    assert "not a treatment, not a therapist, and not an emergency service" in text
    # One tap from any page: the header links here everywhere.
    for url in ("/", "/articles", LIBRARY.articles[0].url, "/about"):
        assert soup(await client.get(url)).select_one('header a[href="/help"]'), url


async def test_about_says_what_lifted_is_and_stores(client):
    response = await client.get("/about")
    assert response.status_code == 200
    text = soup(response).select_one("main").get_text(" ")
    assert "not a treatment and not an emergency service" in text
    for stored in ("time zone", "category", "note", "readings", "reminder settings"):
        assert stored in text, stored
    assert "No email address" in text and "third party" in text


async def test_service_worker_precaches_every_article(client):
    response = await client.get("/sw.js")
    config = service_worker_config(response.text)
    topics = [f"/articles?topic={topic}" for topic in TOPICS]
    for url in ["/articles", *topics, "/help", "/about", *(a.url for a in LIBRARY.articles)]:
        assert url in config["precache"], url
        assert (await client.get(url)).status_code == 200, url


async def test_offline_page_offers_help_first_then_the_main_pages_and_readings(client):
    html = soup(await client.get("/offline", headers={"Accept-Language": "en-GB"}))
    main = html.select_one("main")
    first = main.select_one("section")
    assert first.select_one("h2").get_text(strip=True) == "Need help now?"
    calls = [a["href"] for a in first.select("a.help-line")]
    assert calls == ["tel:999", "tel:116123"]  # the reader's region: UK & Ireland
    assert first.select_one('a[href="/help"]')
    rows = [(a.get_text(strip=True), a["href"]) for a in main.select(".list-rows a.row")]
    assert rows == [("Today", "/"), ("Read", "/articles"), ("Progress", "/progress")]
    readings = [(a.get_text(strip=True), a["href"]) for a in main.select(".compact-links a")]
    assert readings == [(a.title, a.url) for a in LIBRARY.articles]
    # Help, then the pages, then the readings: in that order on the page.
    links = [a["href"] for a in main.select("a")]
    assert links.index("tel:999") < links.index("/progress") < links.index(LIBRARY.articles[0].url)


async def test_edited_article_changes_the_service_worker(database_url, data_dir, tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(ROOT / "content", copy)

    async def version() -> str:
        app = create_app(make_settings(database_url, data_dir, LIFTED_CONTENT_DIR=str(copy)))
        async with AppClient(app) as client:
            first_line = (await client.get("/sw.js")).text.splitlines()[0]
        return service_worker_config(first_line)["version"]

    before = await version()
    assert await version() == before
    path = copy / "articles" / "healing-through-helping.md"
    path.write_text(path.read_text().replace("powerful", "quietly powerful", 1))
    assert await version() != before


async def test_each_card_links_its_topics_as_filters_swapped_in_place(client):
    html = soup(await client.get("/articles"))
    library = html.select_one("#library")
    # The list swaps itself: every topic link inside it (bar and chips) targets it.
    assert library["data-hx-target"] == "#library"
    assert library["data-hx-swap"].startswith("outerHTML")
    assert library["data-hx-push-url"] == "true"
    for article in LIBRARY.articles:
        card = html.select_one(f'li[data-slug="{article.slug}"]')
        chips = [
            (a.get_text(strip=True), a["href"], a["data-hx-get"]) for a in card.select("a.chip")
        ]
        assert chips == [
            (label, f"/articles?topic={key}", f"/articles?topic={key}")
            for key, label in article.topic_labels
        ]
    # Following a chip is the same as the filter bar's link: only that topic's readings.
    href = html.select_one("li[data-slug] a.chip")["href"]
    topic = href.split("=")[1]
    filtered = soup(await client.get(href, headers={"HX-Request": "true"}))
    assert entry_titles(filtered) == [a.title for a in LIBRARY.articles if topic in a.topics]
    assert filtered.select_one(".topic-filter a[aria-current=page]")["href"] == href


async def test_finished_cards_say_so_in_words_not_only_colour(client):
    # Each card carries the word, hidden until reader.js knows it is finished (the browser
    # test in tests/e2e/test_reading.py sees it shown).
    html = soup(await client.get("/articles"))
    for card in html.select(".article-list li[data-slug]"):
        badge = card.select_one(".finished-badge")
        assert badge.has_attr("hidden") and badge.get_text(strip=True) == "Finished"
        assert badge.select_one(".finished-mark")


async def test_a_topic_without_readings_offers_every_reading_and_help(
    database_url, data_dir, tmp_path
):
    copy = tmp_path / "content"
    shutil.copytree(ROOT / "content", copy)
    for path in (copy / "articles").glob("*.md"):  # no article about practice any more
        path.write_text(path.read_text().replace(", practice]", "]", 1))
    app = create_app(make_settings(database_url, data_dir, LIFTED_CONTENT_DIR=str(copy)))
    async with AppClient(app) as client:
        html = soup(await client.get("/articles?topic=practice"))
    assert entry_titles(html) == []
    empty = html.select_one("#library .empty-state")
    assert "No readings about practice yet" in empty.get_text()
    assert empty.select_one('a.button[href="/articles"]').get_text(strip=True) == (
        "See every reading"
    )
    assert empty.select_one('a[href="/help"]')


async def test_an_article_opens_with_its_title_then_its_text(client):
    article = LIBRARY.get("breaking-the-cycle")
    html = soup(await client.get(article.url))
    head = html.select_one(".reading-head")
    # Nothing but a short line, the title and the tools before the text; topics come after.
    assert [child.name for child in head.find_all(recursive=False)] == ["p", "h1", "div", "p"]
    assert not head.select('a[href^="/articles?topic="]')
    topics = html.select('.article-topics a.chip[href^="/articles?topic="]')
    assert [a.get_text(strip=True) for a in topics] == [label for _, label in article.topic_labels]
    assert html.select_one(".prose h3").get_text() == "1. Creating Purpose and Meaning"
