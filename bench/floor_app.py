"""The floor Lifted is measured against: the least a Litestar app on the same stack can do.

``POST /floor/tap`` inserts one act with Tortoise (the same database settings as the app,
``server.db.tortoise_config``) and answers 204; ``GET /floor/page`` answers a constant page.
No sessions, no CSRF, no templates: whatever Lifted costs above this is Lifted's own.

Run it as the app is run (``server/serving.py``: the same uvicorn options and protocol):
``DATABASE_URL=... python -m bench.floor_app --port 8001``.
"""

from __future__ import annotations

import os
import random
import uuid
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from litestar import Litestar, MediaType, Response, get, post

from server import db
from server.acts.models import Act
from server.identity.models import Account

# Acts need an owner. Like Lifted's taps in the bench (bench/load.py: SESSIONS readers), the
# floor's are spread over 64 accounts: the per-day counts a trigger keeps for every act
# (act_days) would otherwise make one account's row for today a lock every tap queues for.
FLOOR_ACCOUNTS = [uuid.UUID(f"00000000-0000-4000-8000-{n:012x}") for n in range(64)]
PAGE = (
    b"<!doctype html><html lang=en><title>Floor</title><main><h1>Floor</h1>"
    + b"<p>A constant page.</p>" * 40
    + b"</main></html>"
)


@post("/floor/tap", status_code=204)
async def tap() -> None:
    now = datetime.now(UTC)
    await Act.create(
        id=uuid.uuid4(),
        account_id=random.choice(FLOOR_ACCOUNTS),
        occurred_at=now,
        timezone="UTC",
        local_date=now.date(),
    )


@get("/floor/page", sync_to_thread=False)
def constant_page() -> Response[bytes]:
    return Response(PAGE, media_type=MediaType.HTML)


@get("/healthz", sync_to_thread=False)
def health() -> dict[str, str]:
    return {"status": "ok"}


@asynccontextmanager
async def database(app: Litestar):
    await db.open_db(os.environ["DATABASE_URL"])
    for account in FLOOR_ACCOUNTS:
        await Account.get_or_create(id=account)
    try:
        yield
    finally:
        await db.close_db()


app = Litestar(
    route_handlers=[tap, constant_page, health], lifespan=[database], openapi_config=None
)


if __name__ == "__main__":
    import argparse

    from server import serving

    parser = argparse.ArgumentParser(description="The benchmarks' floor")
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    serving.run(
        "bench.floor_app:app",
        factory=False,
        host="127.0.0.1",
        port=port,
        workers=1,
        log_level="warning",
    )
