"""The app in-process, on the test's own event loop.

Litestar's AsyncTestClient runs the app on a second loop in a portal thread, while the test
reads and writes rows on pytest's loop. Each time Tortoise sees the other loop it opens a new
connection and drops the old one unclosed; aiosqlite (0.22+) gives every connection a
non-daemon worker thread, so the dropped ones kept the interpreter alive after the last test.
Here the lifespan, the requests and the test share one loop, so there is one connection.
"""

from __future__ import annotations

import asyncio

import httpx
from litestar import Litestar


class AppClient(httpx.AsyncClient):
    """AsyncTestClient's interface (``app``, follows redirects, same client address), one loop.

    ``async with`` runs the app's lifespan in a task of its own, as a server would; a client
    used without it only carries its own cookies to an app another client has started.
    """

    def __init__(
        self,
        app: Litestar,
        base_url: str = "http://testserver.local",
        address: str = "testclient",
    ) -> None:
        # ``address`` is the client address the app sees (rate limits count by it).
        transport = httpx.ASGITransport(app=app, client=(address, 50000))
        super().__init__(
            transport=transport,
            base_url=base_url,
            headers={"user-agent": "testclient"},
            follow_redirects=True,
        )
        self.app = app
        self._stop = asyncio.Event()
        self._lifespan: asyncio.Task | None = None

    async def __aenter__(self) -> AppClient:
        started = asyncio.get_running_loop().create_future()
        self._lifespan = asyncio.create_task(self._run_lifespan(started))
        await started  # a startup error is raised here, before any test code runs
        await super().__aenter__()
        return self

    async def __aexit__(self, *exc_info) -> None:
        try:
            await super().__aexit__(*exc_info)
        finally:
            self._stop.set()
            if self._lifespan is not None:
                await self._lifespan  # shutdown closes the database: its errors surface here

    async def _run_lifespan(self, started: asyncio.Future) -> None:
        try:
            async with self.app.lifespan():
                started.set_result(None)
                await self._stop.wait()
        except BaseException as exc:
            if started.done():
                raise
            if isinstance(exc, asyncio.CancelledError):
                started.cancel()
                raise
            started.set_exception(exc)
