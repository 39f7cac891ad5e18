"""Reading in real Chromium: every article offline after one visit, a fresh cache when an
article changes, the text size that sticks, and read marks that show offline."""

from __future__ import annotations

import shutil

from server.articles.content import load_library
from server.settings import ROOT
from tests.e2e.conftest import LiveServer, wait_for_service_worker, wait_until
from tests.support import csrf_in

LIBRARY = load_library(ROOT / "content")

CACHED_TEXT = """async ([path, text]) => {
    const keys = await caches.keys();
    if (keys.length !== 1) return false;  // the old version's cache must be gone
    const cached = await (await caches.open(keys[0])).match(path);
    return !!cached && (await cached.text()).includes(text);
}"""


def test_every_article_and_help_open_offline_after_one_visit(page, context, live_server):
    page.goto(live_server.url + "/")
    wait_for_service_worker(page)
    page.goto(live_server.url + "/articles")
    page.locator(".offline-ready").wait_for(state="visible")

    context.set_offline(True)
    page.goto(live_server.url + "/articles")
    links = page.eval_on_selector_all(
        ".article-list h2 a", "els => els.map(a => [a.getAttribute('href'), a.textContent])"
    )
    assert [title for _, title in links] == [a.title for a in LIBRARY.articles]
    page.locator(".article-list h2 a").first.click()
    page.wait_for_url(live_server.url + LIBRARY.articles[0].url)
    assert page.locator("h1").inner_text() == LIBRARY.articles[0].title
    for href, title in links:
        page.goto(live_server.url + href)
        assert page.locator("h1").inner_text() == title
        assert page.locator(".reflection p").is_visible()
    page.goto(live_server.url + "/help")
    assert page.locator("h1").inner_text() == "Need help now?"
    assert "116 123" in page.locator("main").inner_text()
    # The topic filter works offline too: its htmx request fails, so the page loads from cache.
    page.goto(live_server.url + "/articles")
    page.locator(".topic-filter").get_by_role("link", name="Science").click()
    page.locator(".topic-filter a[aria-current=page]", has_text="Science").wait_for()
    science = [a.title for a in LIBRARY.articles if "science" in a.topics]
    assert page.locator(".article-list h2 a").all_inner_texts() == science

    page.goto(live_server.url + "/articles/not-cached-anywhere")
    assert page.locator("h1").inner_text() == "You're offline"
    assert page.locator("main a.help-line").count() >= 1
    assert page.locator("main a[href='/help']").count() == 1
    assert LIBRARY.articles[-1].title in page.locator("main .compact-links a").all_inner_texts()
    context.set_offline(False)


def test_edited_article_replaces_the_offline_copy(page, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    data = tmp_path / "data"
    data.mkdir()
    server = LiveServer(data, LIFTED_CONTENT_DIR=str(content)).start()
    try:
        article = LIBRARY.articles[3]
        page.goto(server.url + "/")
        wait_for_service_worker(page)
        first_cache = page.evaluate("caches.keys()")
        assert page.evaluate(CACHED_TEXT, [article.url, article.reflection])

        path = content / "articles" / f"{article.slug}.md"
        new_text = "A sentence added while the reader was away."
        path.write_text(path.read_text().rstrip() + f"\n\n{new_text}\n")
        assert not page.evaluate(CACHED_TEXT, [article.url, new_text])
        server.stop()
        server.start()

        # Visiting any page online lets the browser see the new /sw.js; its install caches
        # the new text and its activation drops the old cache.
        page.goto(server.url + "/")
        wait_until(page, CACHED_TEXT, [article.url, new_text])
        assert page.evaluate("caches.keys()") != first_cache
    finally:
        server.stop()


def test_text_size_persists_across_reloads(page, live_server):
    page.goto(live_server.url + LIBRARY.articles[0].url)
    prose = page.locator(".prose p").first
    medium = prose.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    larger = page.get_by_role("button", name="Larger text")
    assert larger.get_attribute("aria-pressed") == "false"
    larger.click()
    assert larger.get_attribute("aria-pressed") == "true"
    assert "text-large" in page.evaluate("document.documentElement.className")
    large = prose.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    assert large > medium

    page.reload()
    assert page.get_by_role("button", name="Larger text").get_attribute("aria-pressed") == "true"
    assert (
        page.locator(".prose p").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
        == large
    )
    # Another article keeps the choice too, and the smallest size goes below medium.
    page.goto(live_server.url + LIBRARY.articles[1].url)
    assert "text-large" in page.evaluate("document.documentElement.className")
    page.get_by_role("button", name="Smaller text").click()
    small = page.locator(".prose p").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    assert small < medium


def test_share_copies_the_link_where_there_is_no_share_sheet(page, context, live_server):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    # As on desktop Linux and Firefox: no system share sheet, so the button copies the link.
    page.add_init_script("delete Navigator.prototype.share")
    article = LIBRARY.articles[0]
    page.goto(live_server.url + article.url)
    share = page.get_by_role("button", name="Share")
    share.wait_for(state="visible")
    share.click()
    page.locator(".share-status", has_text="Link copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()").endswith(article.url)


def test_read_mark_shows_on_the_offline_library(page, context, live_server):
    page.goto(live_server.url + "/")
    wait_for_service_worker(page)
    article = LIBRARY.articles[4]
    page.goto(live_server.url + article.url)
    # The page is everyone's: its form gets this reader's token from /acts/token.
    page.get_by_role("button", name="Mark as read").click()
    page.locator(".finished-note").wait_for()
    assert not page.get_by_role("button", name="Mark as read").is_visible()
    # Online, a fresh browser storage would still show it: the marks come from the server.
    page.evaluate("localStorage.removeItem('lifted.reads')")
    page.goto(live_server.url + "/articles")
    page.locator(".library-count", has_text="you've finished 1").wait_for()
    assert page.locator(f'li[data-slug="{article.slug}"] .finished-badge').is_visible()
    page.goto(live_server.url + article.url)
    page.get_by_text("You've finished this reading").wait_for()
    context.set_offline(True)
    page.goto(live_server.url + "/articles")
    entry = page.locator(f'li[data-slug="{article.slug}"]')
    assert entry.locator(".finished-badge").is_visible()
    others = page.locator(".article-list .finished-badge:visible")
    assert others.count() == 1
    context.set_offline(False)


def test_topic_filter_swaps_the_list_in_place(page, live_server):
    # The library is the same for every reader (server/pagecache.py): no token in it, and a
    # filter is a GET, which needs none.
    assert csrf_in(page.goto(live_server.url + "/articles").text()) is None
    page.evaluate("window.stillHere = true")
    with page.expect_request(lambda request: "topic=science" in request.url) as sent:
        page.locator(".topic-filter").get_by_role("link", name="Science").click()
    page.wait_for_url(live_server.url + "/articles?topic=science")
    assert sent.value.headers.get("hx-request") == "true"
    expected = [a.title for a in LIBRARY.articles if "science" in a.topics]
    page.locator(".topic-filter a[aria-current=page]", has_text="Science").wait_for()
    assert page.locator(".article-list h2 a").all_inner_texts() == expected
    assert page.evaluate("window.stillHere") is True  # swapped by htmx, not reloaded


def test_mark_as_read_offline_is_kept_and_sent_when_back_online(page, context, live_server):
    page.goto(live_server.url + "/")
    wait_for_service_worker(page)
    article = LIBRARY.articles[6]
    context.set_offline(True)
    page.goto(live_server.url + article.url)
    page.get_by_role("button", name="Mark as read").click()
    page.get_by_text("Marked as read on this phone").wait_for()
    page.goto(live_server.url + "/articles")
    assert page.locator(f'li[data-slug="{article.slug}"] .finished-badge').is_visible()
    page.goto(live_server.url + article.url)
    assert page.get_by_text("You've finished this reading").is_visible()

    # Back online, the waiting read is posted and the server's own list shows it.
    context.set_offline(False)
    wait_until(page, "async () => localStorage.getItem('lifted.readsToSend') === '{}'")
    assert article.slug in page.request.get(live_server.url + "/articles/reads").json()["finished"]


def test_an_article_starts_with_its_title_and_text_on_a_small_phone(page, live_server):
    page.set_viewport_size({"width": 320, "height": 568})
    longest_title = max(LIBRARY.articles, key=lambda a: len(a.title))
    page.goto(live_server.url + longest_title.url)
    tools = page.locator(".reading-tools")
    tools.wait_for(state="visible")
    sizes = page.get_by_role("group", name="Text size").bounding_box()
    share = page.get_by_role("button", name="Share")
    if share.is_visible():  # shown where the browser can share or copy
        box = share.bounding_box()
        assert abs(box["y"] - sizes["y"]) < 8, "text size and Share on one row"
    first_text = page.locator(".prose p").first.bounding_box()
    assert first_text["y"] + 40 < 568, "the text starts on the first screen"


def test_the_topic_bar_shows_it_scrolls_and_chips_filter_in_place(page, live_server):
    page.set_viewport_size({"width": 320, "height": 568})
    page.goto(live_server.url + "/articles")
    bar = page.locator(".topic-filter")
    fade = "(el) => getComputedStyle(el, '::after').opacity"
    assert bar.evaluate(fade) == "1"  # more to the right: it fades out there
    bar.locator("ul").evaluate("(ul) => ul.scrollTo(ul.scrollWidth, 0)")
    wait_until(
        page, "async () => document.querySelector('.topic-filter').classList.contains('at-end')"
    )
    assert "more-before" in bar.get_attribute("class")
    # A card's topic is a filter too: the list swaps in place, and the bar shows the topic.
    card = page.locator(".article-entry").nth(2)
    chip = card.locator("a.chip").last
    label = chip.inner_text()
    chip.click()
    page.locator(".topic-filter a[aria-current=page]", has_text=label).wait_for()
    assert "?topic=" in page.url
    current = page.locator(".topic-filter a[aria-current=page]").bounding_box()
    assert current["x"] >= 0 and current["x"] + current["width"] <= 320, "the chosen topic in view"
    assert page.evaluate("window.scrollY") == 0


def test_a_form_sent_before_its_token_arrives_waits_for_it_once(page, live_server):
    """The article is everyone's page: its form's token comes from /acts/token. A reader who
    presses "Mark as read" before it arrives sends it once, with the token; if the token can't
    be had, the form still goes once (and the server says why it refused), never in a loop."""
    article, other = LIBRARY.articles[5], LIBRARY.articles[7]
    asked, posts = [], []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    def slow_token(route):
        asked.append(route.request.url)
        page.wait_for_timeout(1500)
        route.continue_()

    page.route("**/acts/token", slow_token)
    page.goto(live_server.url + article.url, wait_until="commit")
    page.get_by_role("button", name="Mark as read").click()
    page.get_by_text("You've finished this reading").wait_for()
    assert posts == [live_server.url + article.url + "/read"]
    assert len(asked) == 1

    page.unroute("**/acts/token")
    asked.clear()
    posts.clear()

    def broken_token(route):
        asked.append(route.request.url)
        route.fulfill(status=503, body="")

    page.route("**/acts/token", broken_token)
    page.goto(live_server.url + other.url)
    page.get_by_role("button", name="Mark as read").click()
    page.wait_for_load_state()
    page.wait_for_timeout(500)
    assert posts == [live_server.url + other.url + "/read"]
    assert len(asked) <= 2
