"""Random and hostile values in every form and in the JSON API: never a 5xx, never a bad row.

Runs on SQLite and PostgreSQL (the ``client`` fixture). PostgreSQL runs fewer examples: each
one costs a round trip per query, and the interesting differences (NUL bytes, sizes) show early.
"""

from __future__ import annotations

import uuid
import zoneinfo
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server import ratelimit
from server.accounts.forms import USERNAME_RE
from server.acts.content import CATEGORY_LABELS
from server.acts.forms import NOTE_MAX
from server.acts.models import Act
from server.identity.models import Account
from tests.integration.support import csrf_token, post_form, soup  # noqa: F401

SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
POSTGRES_EXAMPLES = 10

SPECIAL = [
    "",
    " ",
    "'; DROP TABLE acts;--",
    "1' OR '1'='1",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "\x00",
    "a\x00b",
    "²",  # a digit to str.isdigit() but not to int()
    "٣",
    "0",
    "1",
    "5",
    "6",
    "-1",
    "1e3",
    " 3 ",
    "99999999999999999999999",
    "NaN",
    "null",
    "UTC",
    "Europe/London",
    "../../etc/passwd",
    "\u202e\u200b\ufeff",
    "😀" * 1300,
    "é" * 5000,
    "x" * 501,
    str(uuid.uuid4()),
    "2026-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59Z",
    "2026-13-45T99:99",
]
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
HUGE = st.builds(lambda s, n: (s or "z") * n, TEXT, st.integers(1, 5000)).map(lambda v: v[:5000])
HOSTILE = st.one_of(st.sampled_from(SPECIAL), TEXT, HUGE, st.integers().map(str))
VALID = sorted(CATEGORY_LABELS) + ["1", "2", "3", "4", "5", "UTC", "Europe/Paris"]
VALUE = st.one_of(HOSTILE, st.sampled_from(VALID))
ACT_FIELDS = ("id", "occurred_at", "timezone", "category", "note", "mood_before", "mood_after")


def fields(*names: str):
    """A form with some of ``names`` present, each hostile or plausible."""
    return st.dictionaries(st.sampled_from(names), VALUE, max_size=len(names))


@pytest.fixture(autouse=True)
def generous_limits(monkeypatch):
    """Rate limits would turn later examples into 429s before they reach the parsers."""
    for action, kinds in ratelimit.LIMITS.items():
        monkeypatch.setitem(
            ratelimit.LIMITS, action, {k: (10**9, window) for k, (_, window) in kinds.items()}
        )


@pytest.fixture
def budget(request):
    """How many examples may still run: fewer on PostgreSQL."""
    backend = request.node.callspec.params.get("database_url")
    return {"left": POSTGRES_EXAMPLES if backend == "postgres" else 10**6}


def spend(budget) -> bool:
    budget["left"] -= 1
    return budget["left"] >= 0


def assert_not_5xx(response) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:500])


async def assert_stored_rows_valid() -> None:
    zones = zoneinfo.available_timezones() | {"UTC"}
    for act in await Act.all():
        assert isinstance(act.id, uuid.UUID) or uuid.UUID(str(act.id))
        assert act.timezone in zones, act.timezone
        zoneinfo.ZoneInfo(act.timezone)
        for mood in (act.mood_before, act.mood_after):
            assert mood is None or 1 <= mood <= 5, mood
        assert act.note is None or (0 < len(act.note) <= NOTE_MAX and "\x00" not in act.note)
        assert act.category is None or act.category in CATEGORY_LABELS, act.category
    for account in await Account.exclude(username=None):
        assert USERNAME_RE.fullmatch(account.username), account.username
        assert account.username == account.username.lower()


@SETTINGS
@given(form=fields(*ACT_FIELDS))
async def test_tap_form(client, budget, form):
    if not spend(budget):
        return
    assert_not_5xx(await post_form(client, "/acts", form))
    assert_not_5xx(await post_form(client, "/acts", form, headers={"HX-Request": "true"}))
    await assert_stored_rows_valid()


@SETTINGS
@given(form=fields("category", "note", "mood_before", "mood_after"), act_id=VALUE)
async def test_edit_form(client, budget, form, act_id):
    if not spend(budget):
        return
    mine = str(uuid.uuid4())
    response = await post_form(client, "/acts", {"id": mine, "timezone": "UTC"})
    assert response.status_code == 303
    assert_not_5xx(await post_form(client, f"/acts/{mine}", form))
    assert_not_5xx(await post_form(client, f"/acts/{quote(act_id, safe='')}", form))
    await assert_stored_rows_valid()


@SETTINGS
@given(
    form=fields("username", "passphrase", "passphrase_again"),
    same=st.booleans(),
)
async def test_claim_form(client, budget, form, same):
    if not spend(budget):
        return
    client.cookies.clear()  # a fresh visitor each time, so every claim can succeed
    if same and "passphrase" in form:
        form["passphrase_again"] = form["passphrase"]
    assert_not_5xx(await post_form(client, "/account/claim", form))
    await assert_stored_rows_valid()


@SETTINGS
@given(
    sign_in=fields("username", "passphrase"),
    recover=fields("username", "recovery_code", "passphrase"),
)
async def test_sign_in_and_recover_forms(client, budget, sign_in, recover):
    if not spend(budget):
        return
    assert_not_5xx(await post_form(client, "/account/sign-in", sign_in))
    assert_not_5xx(await post_form(client, "/account/recover", recover))
    await assert_stored_rows_valid()


@SETTINGS
@given(name=VALUE, slug=VALUE)
async def test_token_and_mark_as_read(client, budget, name, slug):
    if not spend(budget):
        return
    assert_not_5xx(await post_form(client, "/account/tokens", {"name": name}))
    path = quote(slug, safe="") or "x"
    assert_not_5xx(await post_form(client, f"/articles/{path}/read", {}))
    assert_not_5xx(await post_form(client, f"/articles/{path}/unread", {}))


REMINDER_FIELDS = ("enabled", "time_of_day", "timezone", "quiet_start", "quiet_end")


@SETTINGS
@given(
    form=fields(*REMINDER_FIELDS, "skip_if_logged"),
    days=st.lists(VALUE, max_size=8),
    pause=VALUE,
)
async def test_reminder_settings_form(client, budget, form, days, pause):
    if not spend(budget):
        return
    token = await csrf_token(client)
    data = {**form, "days": days, "_csrf_token": token}
    response = await client.post("/settings/reminders", data=data, follow_redirects=False)
    assert_not_5xx(response)
    response = await post_form(client, "/settings/reminders/pause", {"days": pause})
    assert_not_5xx(response)


JSON_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    HOSTILE,
    st.lists(st.integers(), max_size=3),
    st.dictionaries(TEXT, st.integers(), max_size=2),
)


@SETTINGS
@given(body=st.dictionaries(st.sampled_from(ACT_FIELDS), JSON_VALUE), raw=st.booleans())
async def test_api_create_act(client, budget, body, raw):
    if not spend(budget):
        return
    if "token" not in budget:
        await post_form(client, "/acts", {"timezone": "UTC"})
        response = await post_form(client, "/account/tokens", {"name": "hostile"})
        budget["token"] = soup(response).select_one("#token-value").get_text(strip=True)
    headers = {"Authorization": f"Bearer {budget['token']}"}
    if raw:  # the body as plain (possibly not JSON) text
        response = await client.post(
            "/api/v1/acts",
            content=str(body).encode(),
            headers={**headers, "Content-Type": "application/json"},
        )
    else:
        response = await client.post("/api/v1/acts", json=body, headers=headers)
    assert_not_5xx(response)
    assert response.status_code in (200, 201, 400, 409, 413, 422), response.text[:300]
    await assert_stored_rows_valid()
