"""Your data: importing an export, deleting the account, and the privacy page."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.response import Redirect, Template

from server import ratelimit
from server.accounts import data, forms, importer, service
from server.identity import devices
from server.identity.sessions import LEAVING, current_account, end_session, ensure_account
from server.pagecache import READER_FREE, content_page
from server.web import page

IMPORT_MAX_BYTES = importer.MAX_BYTES


@post("/account/import", include_in_schema=False, request_max_body_size=IMPORT_MAX_BYTES)
async def import_export(request: Request) -> Template:
    form = await request.form()
    upload = form.get("export")
    raw = await upload.read() if isinstance(upload, UploadFile) else b""
    report, problem, status, headers = None, None, 200, {}
    # Counted before reading the file: parsing a large export is the costly part. A browser
    # without an account yet is counted by its address alone.
    reader = current_account(request)
    decision = await ratelimit.check(request, "import", account=str(reader.id) if reader else None)
    if not decision.allowed:
        problem, status = ratelimit.wait_sentence(decision.retry_after), 429
        headers = ratelimit.retry_headers(decision)
    elif not raw:
        problem, status = "Please choose the file you downloaded from Lifted to bring back.", 422
    else:
        try:
            items = importer.read_export(raw)
        except importer.ImportFileError as exc:
            problem, status = str(exc), 422
        else:
            report = await importer.import_acts(await ensure_account(request), items)
            status = 422 if report.failed else 200
    account = current_account(request)
    view = await service.describe(account) if account else None
    # Shown directly rather than after a redirect: the report lists each act that failed.
    # Posting again is harmless, because importing is idempotent.
    return page(
        request, "accounts/account.html", active="settings", status_code=status,
        headers=headers, view=view, report=report, import_error=problem,
        import_limits=importer.limits_sentence(),
    )  # fmt: skip


@get("/account/delete", name="account-delete", include_in_schema=False)
async def delete_form(request: Request) -> Template | Redirect:
    if current_account(request) is None:
        return Redirect("/account", status_code=303)
    return page(request, "accounts/delete.html", active="settings")


@post("/account/delete", include_in_schema=False)
async def delete_account(request: Request) -> Template | Redirect:
    account = current_account(request)
    if account is None:
        return Redirect("/account", status_code=303)
    if not forms.confirmed_delete(await request.form()):
        return page(
            request, "accounts/delete.html", active="settings", status_code=422,
            problem="To delete everything, type DELETE in the box (in capital letters).",
        )  # fmt: skip
    await data.delete_everything(account)
    await ratelimit.forget_account(request, account)
    devices.forget(request, account)
    await end_session(request)
    return Redirect("/account/deleted", status_code=303, headers=LEAVING)


@get("/account/deleted", include_in_schema=False)
async def deleted(request: Request) -> Template:
    return page(request, "accounts/deleted.html", active="settings")


@get("/privacy", name="privacy", include_in_schema=False, opt={READER_FREE: True})
async def privacy(request: Request) -> Response:
    return content_page(request, ("privacy",), "accounts/privacy.html", active="settings")


ROUTES = [import_export, delete_form, delete_account, deleted, privacy]
