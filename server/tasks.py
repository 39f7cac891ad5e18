"""Running a loop beside the app for as long as it serves, and stopping it cleanly."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager, suppress


@asynccontextmanager
async def in_background(work: Coroutine | None) -> AsyncIterator[None]:
    """Runs ``work`` (None: nothing) in a task until the block ends, then cancels it."""
    task = asyncio.create_task(work) if work is not None else None
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
