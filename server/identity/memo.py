"""What one request asks about its reader more than once, asked once.

Today's sections each want to know whether the reader is on a break, or what their kindness
days are; the Account object is the request's own (loaded from its session), so an answer kept
on it lives exactly as long as the request. A write clears its key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any


async def once(account: Any, key: str, load: Callable[[], Awaitable[Any]]) -> Any:
    kept = account.__dict__.setdefault("_lifted_memo", {})
    if key not in kept:
        kept[key] = await load()
    return kept[key]


def forget(account: Any, key: str) -> None:
    account.__dict__.get("_lifted_memo", {}).pop(key, None)
