"""The reading library: the list, each article, read state, and the help and about pages."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from server.articles import service
from server.articles.content import TOPICS, Article, Library
from server.articles.setup import help_guide
from server.identity.sessions import current_account, ensure_account
from server.parsing import PathKey
from server.web import page


def library(request: Request) -> Library:
    return request.app.state.library


def _article(request: Request, slug: str) -> Article:
    article = library(request).get(slug)
    if article is None:
        raise NotFoundException()
    return article


@get("/articles", name="articles", include_in_schema=False)
async def article_list(request: Request) -> Template:
    # The topic is read by hand: a mistyped one shows every reading with a note, never a 400.
    asked = request.query_params.get("topic") or None
    topic = asked if asked in TOPICS else None
    account = current_account(request)
    finished = await service.finished_slugs(account)
    entries = [
        {"article": article, "finished": article.slug in finished}
        for article in library(request).with_topic(topic)
    ]
    return page(
        request,
        "articles/library.html",
        fragment="articles/_list.html",
        active="read",
        topics=list(TOPICS.items()),
        topic=topic,
        topic_label=TOPICS.get(topic or ""),
        unknown_topic=asked if asked and topic is None else None,
        entries=entries,
        finished_count=sum(e["finished"] for e in entries),
    )


@get("/articles/{slug:str}", name="article", include_in_schema=False)
async def article_page(request: Request, slug: PathKey) -> Template:
    article = _article(request, slug)
    previous, following = library(request).neighbours(slug)
    # "Log it on Today" belongs to the tracker, which the app hands in (state.try_today).
    try_today = getattr(request.app.state, "try_today", None)
    return page(
        request,
        "articles/article.html",
        active="read",
        article=article,
        previous=previous,
        following=following,
        finished=await service.has_finished(current_account(request), slug),
        try_today=await try_today(request, article.idea, article.url) if try_today else None,
    )


@post("/articles/{slug:str}/read", name="article-read", include_in_schema=False)
async def mark_read(request: Request, slug: PathKey) -> Redirect:
    _article(request, slug)
    await service.mark_read(await ensure_account(request), slug)
    return Redirect(f"/articles/{slug}#finish", status_code=303)


@post("/articles/{slug:str}/unread", name="article-unread", include_in_schema=False)
async def mark_unread(request: Request, slug: PathKey) -> Redirect:
    _article(request, slug)
    account = current_account(request)
    if account is not None:
        await service.mark_unread(account, slug)
    return Redirect(f"/articles/{slug}#finish", status_code=303)


@get("/help", name="help", include_in_schema=False)
async def help_page(request: Request) -> Template:
    text, guide = help_guide(request)
    return page(request, "articles/help.html", active="help", help=text, guide=guide)


@get("/about", name="about", include_in_schema=False)
async def about_page(request: Request) -> Template:
    return page(request, "articles/about.html", active="settings")


ROUTES = [article_list, article_page, mark_read, mark_unread, help_page, about_page]
