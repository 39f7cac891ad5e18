"""The access-token pages: list, create (the token is shown once) and revoke."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from server import ratelimit
from server.accounts import forms
from server.identity import tokens
from server.identity.sessions import current_account, ensure_account
from server.parsing import RowId
from server.web import page

NO_STORE = {"Cache-Control": "no-store"}


async def _render(
    request: Request, status_code: int = 200, headers: dict | None = None, **context
) -> Template:
    account = current_account(request)
    listed = await tokens.active(account) if account else []
    context.setdefault("values", {})
    context.setdefault("errors", {})
    return page(
        request, "accounts/tokens.html", active="settings", status_code=status_code,
        headers=headers, tokens=listed, **context,
    )  # fmt: skip


@get("/account/tokens", name="account-tokens", include_in_schema=False)
async def token_list(request: Request) -> Template:
    return await _render(request)


@post("/account/tokens", include_in_schema=False)
async def token_create(request: Request) -> Template:
    parsed = forms.parse_token_name(await request.form())
    if not parsed.ok:
        return await _render(request, 422, values=parsed.values, errors=parsed.errors)
    account = await ensure_account(request)
    decision = await ratelimit.check(request, "new-token", account=str(account.id))
    if not decision.allowed:
        return await _render(
            request, 429, headers=ratelimit.retry_headers(decision), values=parsed.values,
            problem=ratelimit.wait_sentence(decision.retry_after),
        )  # fmt: skip
    token = await tokens.create(
        account, parsed.values["name"], tokens.LIFETIMES[parsed.values["expires"]]
    )
    # Rendered here rather than after a redirect: the token must not travel in a URL.
    response = await _render(request, new_token=token, new_token_name=parsed.values["name"])
    response.headers.update(NO_STORE)
    return response


@post("/account/tokens/{token_id:int}/revoke", include_in_schema=False)
async def token_revoke(request: Request, token_id: RowId) -> Redirect:
    account = current_account(request)
    if account is None or not await tokens.revoke(account, token_id):
        raise NotFoundException()
    return Redirect("/account/tokens", status_code=303)


ROUTES = [token_list, token_create, token_revoke]
