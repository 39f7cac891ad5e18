"""Account pages: the account hub, claiming, signing in and out, and recovery."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from server import ratelimit
from server.accounts import data, data_routes, forms, importer, service, token_routes
from server.identity.sessions import current_account, end_session, ensure_account, start_session
from server.web import page

# A page showing a recovery code must never be kept by the browser or a cache.
NO_STORE = {"Cache-Control": "no-store"}


async def _form(request: Request):
    return await request.form()


async def _refused(request: Request, action: str, template: str, parsed, **subjects):
    """A 429 re-render of the form when the attempt is over the limit, else None."""
    decision = await ratelimit.check(request, action, **subjects)
    if decision.allowed:
        return None
    return page(
        request,
        template,
        status_code=429,
        headers={"Retry-After": str(decision.retry_after)},
        values=forms.public(parsed),
        errors={},
        problem=ratelimit.wait_sentence(decision.retry_after),
    )


async def _attempt(request: Request, action: str, template: str, parsed, attempt, mismatch: str):
    """Signing in and recovering alike: the rate limit first, then ``attempt()`` once the form
    is complete. Returns ``(result, None)``, or ``(None, the form again)`` with a 429 or a 422
    saying what didn't match."""
    username = parsed.values["username"]
    if refused := await _refused(request, action, template, parsed, user=username):
        return None, refused
    result = await attempt() if parsed.ok else None
    if result is not None:
        return result, None
    if parsed.ok:
        parsed.errors["form"] = mismatch
    again = page(
        request, template, status_code=422, values=forms.public(parsed), errors=parsed.errors
    )
    return None, again


async def _adopt(request: Request, account) -> None:
    """Signs this browser in to ``account``, first moving in any anonymous data it had."""
    current = current_account(request)
    if current is not None and current.username is None and current.id != account.id:
        await data.merge(current, account)
    await start_session(request, account)


@get("/account", name="account", include_in_schema=False)
async def account_hub(request: Request) -> Template:
    account = current_account(request)
    view = await service.describe(account) if account else None
    return page(
        request, "accounts/account.html", active="settings", view=view,
        import_max=importer.MAX_ACTS,
    )  # fmt: skip


@get("/account/claim", name="account-claim", include_in_schema=False)
async def claim_form(request: Request) -> Template | Redirect:
    account = current_account(request)
    if account is not None and account.username:
        return Redirect("/account", status_code=303)
    return page(request, "accounts/claim.html", active="settings", values={}, errors={})


@post("/account/claim", include_in_schema=False)
async def claim(request: Request) -> Template | Redirect:
    account = current_account(request)
    if account is not None and account.username:
        return Redirect("/account", status_code=303)
    parsed = forms.parse_claim(await _form(request))
    subject = (
        str(account.id)
        if account
        else ratelimit.client_address(request, request.app.state.settings.trusted_proxies)
    )
    if refused := await _refused(request, "claim", "accounts/claim.html", parsed, account=subject):
        return refused
    if parsed.ok and await service.username_taken(parsed.values["username"]):
        parsed.errors["username"] = "That username is taken. Please choose another."
    if not parsed.ok:
        return page(
            request, "accounts/claim.html", status_code=422,
            values=forms.public(parsed), errors=parsed.errors,
        )  # fmt: skip
    account = await ensure_account(request)
    try:
        code = await service.claim(account, parsed.values["username"], parsed.values["passphrase"])
    except service.UsernameTaken:
        parsed.errors["username"] = "That username is taken. Please choose another."
        return page(
            request, "accounts/claim.html", status_code=422,
            values=forms.public(parsed), errors=parsed.errors,
        )  # fmt: skip
    await start_session(request, account)
    # Shown here, once, instead of after a redirect: the code must not travel in a URL.
    return page(
        request, "accounts/code.html", headers=NO_STORE,
        code=code, username=account.username, reason="claimed",
    )  # fmt: skip


@get("/account/sign-in", name="account-sign-in", include_in_schema=False)
async def sign_in_form(request: Request) -> Template:
    return page(request, "accounts/sign_in.html", active="settings", values={}, errors={})


@post("/account/sign-in", include_in_schema=False)
async def sign_in(request: Request) -> Template | Redirect:
    parsed = forms.parse_sign_in(await _form(request))
    values = parsed.values
    account, again = await _attempt(
        request, "sign-in", "accounts/sign_in.html", parsed,
        lambda: service.authenticate(values["username"], values["passphrase"]),
        "That username and passphrase don't match. Please check them and try again.",
    )  # fmt: skip
    if again is not None:
        return again
    await _adopt(request, account)
    return Redirect("/account", status_code=303)


@post("/account/sign-out", include_in_schema=False)
async def sign_out(request: Request) -> Redirect:
    await end_session(request)
    return Redirect("/account/sign-in", status_code=303)


@post("/account/sign-out-everywhere", include_in_schema=False)
async def sign_out_everywhere(request: Request) -> Redirect:
    account = current_account(request)
    if account is not None:
        await service.end_all_sessions(account)
    await end_session(request)
    return Redirect("/account/sign-in", status_code=303)


@get("/account/recover", name="account-recover", include_in_schema=False)
async def recover_form(request: Request) -> Template:
    return page(request, "accounts/recover.html", active="settings", values={}, errors={})


@post("/account/recover", include_in_schema=False)
async def recover(request: Request) -> Template:
    parsed = forms.parse_recover(await _form(request))
    values = parsed.values
    result, again = await _attempt(
        request, "recover", "accounts/recover.html", parsed,
        lambda: service.recover(values["username"], values["recovery_code"], values["passphrase"]),
        "That username and recovery code don't match. Please check them and try again.",
    )  # fmt: skip
    if again is not None:
        return again
    account, code = result
    await _adopt(request, account)
    return page(
        request, "accounts/code.html", headers=NO_STORE,
        code=code, username=account.username, reason="recovered",
    )  # fmt: skip


ROUTES = [
    account_hub,
    claim_form,
    claim,
    sign_in_form,
    sign_in,
    sign_out,
    sign_out_everywhere,
    recover_form,
    recover,
    *token_routes.ROUTES,
    *data_routes.ROUTES,
]
