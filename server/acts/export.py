"""A reader's own acts to take away, as JSON or CSV. A visitor without an account gets an
empty export (visiting does not create an account)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from litestar import Request, Response, get

from server import ratelimit
from server.acts import service
from server.identity.models import Account
from server.identity.sessions import current_account


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


def _headers(extension: str, now: datetime) -> dict[str, str]:
    name = f"lifted-acts-{now:%Y-%m-%d}.{extension}"
    return {
        "Content-Disposition": f'attachment; filename="{name}"',
        # Private data: never kept by shared caches or the service worker.
        "Cache-Control": "no-store",
    }


def _spreadsheet_safe(value):
    """A note starting with = + - @ would run as a formula in a spreadsheet (CSV injection),
    so it gets a leading apostrophe, which spreadsheets show as plain text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


async def _rows(request: Request, account: Account | None) -> list[dict]:
    """The reader's acts, each download counted: a long history is costly to read out."""
    if account is None:
        return []
    decision = await ratelimit.check(request, "export", account=str(account.id))
    if not decision.allowed:
        raise ratelimit.too_many(decision)
    return await service.export_rows(account)


@get("/account/export.json", name="acts:export-json", include_in_schema=False)
async def export_json(request: Request) -> Response:
    account = current_account(request)
    now = datetime.now(UTC)
    summary = None
    if account is not None:
        summary = {
            "id": str(account.id),
            "username": account.username,
            "timezone": account.timezone,
            "created_at": _iso(account.created_at),
        }
    body = {
        "acts": await _rows(request, account),
        "exported_at": _iso(now),
        "account": summary,
    }
    return Response(body, media_type="application/json", headers=_headers("json", now))


@get("/account/export.csv", name="acts:export-csv", include_in_schema=False)
async def export_csv(request: Request) -> Response:
    now = datetime.now(UTC)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=service.EXPORT_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in await _rows(request, current_account(request)):
        writer.writerow({key: _spreadsheet_safe(value) for key, value in row.items()})
    return Response(out.getvalue(), media_type="text/csv", headers=_headers("csv", now))


ROUTES = [export_json, export_csv]
