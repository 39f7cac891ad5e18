"""The reading library: the list, each article, read state, and the help and about pages."""

from __future__ import annotations

from litestar import MediaType, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from server.articles import service
from server.articles.content import TOPICS, Article, Library
from server.articles.setup import help_guide
from server.identity.sessions import current_account, ensure_account
from server.pagecache import READER_FREE, content_page
from server.parsing import PathKey
from server.web import is_htmx, page

EVERYONE = {READER_FREE: True}  # the page is the same for every reader (server/pagecache.py)


def library(request: Request) -> Library:
    return request.app.state.library


def _article(request: Request, slug: str) -> Article:
    article = library(request).get(slug)
    if article is None:
        raise NotFoundException()
    return article


@get("/articles", name="articles", include_in_schema=False, opt=EVERYONE)
async def article_list(request: Request) -> Response:
    """The same for every reader: their finished marks come from /articles/reads."""
    # The topic is read by hand: a mistyped one shows every reading with a note, never a 400.
    asked = request.query_params.get("topic") or None
    topic = asked if asked in TOPICS else None
    htmx = is_htmx(request)
    # Only the known addresses are kept: a mistyped topic is rendered for its asker alone.
    known = not asked or (topic is not None and len(request.query_params) == 1)
    return content_page(
        request,
        ("library", topic, htmx) if known else None,
        "articles/_list.html" if htmx else "articles/library.html",
        active="read",
        topics=list(TOPICS.items()),
        topic=topic,
        topic_label=TOPICS.get(topic or ""),
        unknown_topic=asked if asked and topic is None else None,
        entries=[{"article": a, "finished": False} for a in library(request).with_topic(topic)],
    )


@get("/articles/reads", name="article-reads", include_in_schema=False)
async def reads(request: Request) -> Response:
    """What this reader has finished, for the pages made for everyone (reader.js)."""
    account = current_account(request)
    finished = sorted(await service.finished_slugs(account))
    return Response(
        {"known": account is not None, "finished": finished},
        media_type=MediaType.JSON,
        headers={"Cache-Control": "no-store"},
    )


@get("/articles/{slug:str}", name="article", include_in_schema=False, opt=EVERYONE)
async def article_page(request: Request, slug: PathKey) -> Response | Template:
    article = _article(request, slug)
    previous, following = library(request).neighbours(slug)
    # "Log it on Today" belongs to the tracker, which the app hands in (state.try_today).
    try_today = getattr(request.app.state, "try_today", None)
    context = {"active": "read", "article": article, "previous": previous, "following": following}
    if not request.scope["query_string"]:
        box = await try_today(request, article.idea, article.url, True) if try_today else None
        return content_page(
            request, ("article", slug), "articles/article.html", **context, try_today=box
        )
    # A tap or an undo without JavaScript comes back here with ?logged= or ?undone=: this
    # reader's own page, with the confirmation and their reading state.
    return page(
        request,
        "articles/article.html",
        **context,
        finished=await service.has_finished(current_account(request), slug),
        try_today=await try_today(request, article.idea, article.url) if try_today else None,
    )


# Both answer with the reader's own copy of the article (?mine), which shows what they did,
# with or without JavaScript.
@post("/articles/{slug:str}/read", name="article-read", include_in_schema=False)
async def mark_read(request: Request, slug: PathKey) -> Redirect:
    _article(request, slug)
    await service.mark_read(await ensure_account(request), slug)
    return Redirect(f"/articles/{slug}?mine=1#finish", status_code=303)


@post("/articles/{slug:str}/unread", name="article-unread", include_in_schema=False)
async def mark_unread(request: Request, slug: PathKey) -> Redirect:
    _article(request, slug)
    account = current_account(request)
    if account is not None:
        await service.mark_unread(account, slug)
    return Redirect(f"/articles/{slug}?mine=1#finish", status_code=303)


@get("/help", name="help", include_in_schema=False)
async def help_page(request: Request) -> Response:
    """One copy per region: the reader's own crisis lines come first."""
    text, guide = help_guide(request)
    region = guide.mine.name if guide.mine else None
    key = None if request.scope["query_string"] else ("help", region)
    return content_page(
        request, key, "articles/help.html", "Cookie, Accept-Language", active="help", help=text,
        guide=guide,
    )  # fmt: skip


@get("/about", name="about", include_in_schema=False, opt=EVERYONE)
async def about_page(request: Request) -> Response:
    return content_page(request, ("about",), "articles/about.html", active="settings")


ROUTES = [article_list, reads, article_page, mark_read, mark_unread, help_page, about_page]
