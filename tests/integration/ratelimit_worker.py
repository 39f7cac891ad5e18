"""One process for test_ratelimit_concurrency: waits for an agreed moment, then makes its
attempts on one key all at once and prints how many were let through.

python -m tests.integration.ratelimit_worker DATABASE_URL KEY LIMIT ATTEMPTS START_AT
"""

from __future__ import annotations

import asyncio
import sys
import time

from server import db
from server.ratelimit import DatabaseBackend


async def main(url: str, key: str, limit: int, attempts: int, start_at: float) -> int:
    await db.open_db(url)
    try:
        backend = DatabaseBackend()
        await asyncio.sleep(max(0.0, start_at - time.time()))
        decisions = await asyncio.gather(*(backend.hit(key, limit, 900) for _ in range(attempts)))
        return sum(d.allowed for d in decisions)
    finally:
        await db.close_db()


if __name__ == "__main__":
    url, key, limit, attempts, start_at = sys.argv[1:6]
    print(asyncio.run(main(url, key, int(limit), int(attempts), float(start_at))))
