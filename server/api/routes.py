"""The JSON API: record an act, list acts, read progress. A personal access token in
``Authorization: Bearer lft_...`` says whose data it is.

Acts go through the same ``parse_act`` and ``record_act`` as a tap on Home, so the rules and the
idempotency (the act's ``id``) are the same everywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import msgspec
from litestar import HttpMethod, Request, Response, Router, post, route
from litestar.di import NamedDependency, Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, Parameter

from server.acts import service as acts
from server.acts.forms import ActInputError, parse_act
from server.api.schemas import ActCreate, ActList, ActOut, ErrorBody, Progress
from server.errors import NotSignedIn
from server.identity import tokens
from server.identity.models import Account
from server.progress.service import progress_summary

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="lifted"'}
MAX_PER_PAGE = 100
# Reads answer HEAD too (the same status and headers, no body: uvicorn leaves it out), so a
# client can check a token cheaply.
READ = [HttpMethod.GET, HttpMethod.HEAD]


def _read_ids(get_id: str):
    """Keeps a read's GET operationId as it was before it answered HEAD too (Litestar would
    add the method to it), so clients generated from the schema keep their names."""
    return lambda handler, method, components: get_id if method == "GET" else f"{get_id}Head"


def _error(description: str) -> ResponseSpec:
    return ResponseSpec(ErrorBody, description=description, generate_examples=False)


UNAUTHORIZED = _error("The token is missing, unknown or revoked.")
BAD_REQUEST = _error("The request could not be read (malformed JSON or parameters).")


async def bearer_account(request: Request) -> Account:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotSignedIn(
            "Send a personal access token as 'Authorization: Bearer <token>'.", headers=CHALLENGE
        )
    account = await tokens.account_for(token.strip())
    if account is None:
        raise NotSignedIn("This token is not valid. It may have been revoked.", headers=CHALLENGE)
    return account


def _out(view: acts.ActView) -> ActOut:
    return msgspec.convert(view.as_dict(), ActOut)


def _as_form(data: ActCreate) -> dict[str, str]:
    """parse_act reads strings, as from a form; None means "not given"."""
    values = msgspec.structs.asdict(data)
    return {k: "" if v is None else str(v) for k, v in values.items()}


def _problem(status: int, text: str, fields: dict[str, str] | None = None) -> Response:
    return Response(ErrorBody(text, status, fields), status_code=status)


@post(
    "/acts",
    status_code=201,
    summary="Record an act of kindness",
    description="Answers 201 with the new act, or 200 with the stored act when its id was "
    "already recorded (a safe retry).",
    responses={
        200: ResponseSpec(ActOut, description="This id was already recorded; nothing changed."),
        400: BAD_REQUEST,
        401: UNAUTHORIZED,
        409: _error("This id is already used by an act that is not yours."),
        413: _error("The request body is too large."),
        422: _error("Some field is not acceptable; `fields` says which and why."),
    },
)
async def create_act(
    data: JSONBody[ActCreate], account: NamedDependency[Account]
) -> Response[ActOut]:
    try:
        act = parse_act(
            _as_form(data),
            now=datetime.now(UTC),
            default_timezone=account.timezone,
            day_end=account.day_ends_at,
        )
    except ActInputError as exc:
        return _problem(422, " ".join(exc.errors.values()), exc.errors)
    try:
        view, created = await acts.record_act(account, act)
    except acts.ActIdTaken:
        return _problem(409, "This id is already in use. Please send a new UUID.")
    except acts.ActHeld as held:
        text = f"The act was kept aside for review instead of being counted: {held.held.reason}"
        return _problem(422, text, {"occurred_at": held.held.reason})
    return Response(_out(view), status_code=201 if created else 200)


@route(
    "/acts",
    http_method=READ,
    operation_id=_read_ids("ApiV1ActsListActs"),
    summary="List your acts, newest first",
    responses={400: BAD_REQUEST, 401: UNAUTHORIZED},
)
async def list_acts(
    account: NamedDependency[Account],
    page: Annotated[int, Parameter(ge=1, le=1_000_000, description="Page number, from 1.")] = 1,
    per_page: Annotated[int, Parameter(ge=1, le=MAX_PER_PAGE, description="Acts per page.")] = 20,
) -> ActList:
    result = await acts.list_acts(account, page=page, per_page=per_page)
    return ActList(
        acts=[_out(view) for view in result.items],
        page=result.page,
        per_page=result.per_page,
        total=result.total,
        next_page=result.page + 1 if result.has_next else None,
    )


@route(
    "/progress",
    http_method=READ,
    operation_id=_read_ids("ApiV1ProgressProgress"),
    summary="Your progress: counts, momentum, milestones",
    responses={401: UNAUTHORIZED},
)
async def progress(account: NamedDependency[Account]) -> Progress:
    summary = await progress_summary(account, acts.today_for(account))
    return msgspec.convert(summary, Progress)


api_v1 = Router(
    path="/api/v1",
    route_handlers=[create_act, list_acts, progress],
    dependencies={"account": Provide(bearer_account)},
    include_in_schema=True,
    security=[{"bearer": []}],
    tags=["v1"],
)

ROUTES = [api_v1]
