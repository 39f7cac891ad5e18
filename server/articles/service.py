"""Reading progress: the only place that queries ``ArticleRead``."""

from __future__ import annotations

from contextlib import suppress

from tortoise.exceptions import IntegrityError

from server.articles.models import ArticleRead
from server.identity.models import Account


async def finished_slugs(account: Account | None) -> set[str]:
    """Slugs this reader has marked as read; nobody's without an account."""
    if account is None:
        return set()
    return set(await ArticleRead.filter(account=account).values_list("slug", flat=True))


async def has_finished(account: Account | None, slug: str) -> bool:
    if account is None:
        return False
    return await ArticleRead.filter(account=account, slug=slug).exists()


async def mark_read(account: Account, slug: str) -> None:
    """Idempotent: a second tap (or a double submit racing the first) keeps one row."""
    if await has_finished(account, slug):
        return
    # The same tap may arrive twice at once; the unique row already says "read".
    with suppress(IntegrityError):
        await ArticleRead.create(account=account, slug=slug)


async def mark_unread(account: Account, slug: str) -> None:
    await ArticleRead.filter(account=account, slug=slug).delete()
