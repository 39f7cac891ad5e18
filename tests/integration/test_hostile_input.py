"""Random and hostile values in every form and in the JSON API: never a 5xx, never a bad row.

Runs on SQLite and PostgreSQL (the ``client`` fixture), the same examples on both. Each test
also always runs the deliberate edge cases the audit found (``@example``): digits that are not
ASCII, lone surrogates, NUL, over-long values and path parameters, JSON nested thousands deep
and bodies that are not UTF-8. test_hostile_routes.py sends each class to every route.
"""

from __future__ import annotations

import json
import uuid
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from server.acts.content import CATEGORY_LABELS
from tests.integration.support import (
    assert_not_5xx,
    assert_readable,
    assert_stored_rows_valid,
    csrf_token,
    generous_limits,  # noqa: F401 (an autouse fixture here)
    post_form,
    soup,
)

SETTINGS = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

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
    "٣",  # a digit to int() too, in another script
    "３",
    "1²:00",
    "２０２６-01-01T00:00:00Z",
    "\ud800",
    "a\udfffb",
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
TEXT = st.text(max_size=80)  # lone surrogates included: post_form can send them
HUGE = st.builds(lambda s, n: (s or "z") * n, TEXT, st.integers(1, 5000)).map(lambda v: v[:5000])
HOSTILE = st.one_of(st.sampled_from(SPECIAL), TEXT, HUGE, st.integers().map(str))
VALID = sorted(CATEGORY_LABELS) + ["1", "2", "3", "4", "5", "UTC", "Europe/Paris"]
VALUE = st.one_of(HOSTILE, st.sampled_from(VALID))
ACT_FIELDS = ("id", "occurred_at", "timezone", "category", "note", "mood_before", "mood_after")


def fields(*names: str):
    """A form with some of ``names`` present, each hostile or plausible."""
    return st.dictionaries(st.sampled_from(names), VALUE, max_size=len(names))


pytestmark = pytest.mark.usefixtures("generous_limits")
NON_ASCII_DIGITS = ["²", "٣", "３"]


def quoted(value: str) -> str:
    """For a path or query string; cut at 20,000 characters (httpx takes URLs up to 64 KiB),
    which may leave a broken escape at the end: one more hostile value."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")[:20_000] or "x"


@pytest.fixture
def remembered():
    """State kept across one test's examples (the client is shared by them too)."""
    return {}


@SETTINGS
@given(form=fields(*ACT_FIELDS))
@example(form={"mood_before": "²", "mood_after": "٣", "note": "３ times"})
@example(form={"occurred_at": "２０２６-01-01T00:00:00Z", "id": "٣" * 32, "timezone": "UTC"})
@example(form={"note": "kind\ud800", "category": "\udfff", "timezone": "Europe/\ud800"})
@example(form={"note": "a\x00b", "timezone": "UTC\x00", "id": "\x00"})
@example(form={"note": "x" * 5000, "timezone": "y" * 5000, "id": "z" * 10_000})
async def test_tap_form(client, form):
    assert_readable(await post_form(client, "/acts", form))
    assert_not_5xx(await post_form(client, "/acts", form, headers={"HX-Request": "true"}))
    await assert_stored_rows_valid()


@SETTINGS
@given(form=fields("category", "note", "mood_before", "mood_after"), act_id=VALUE)
@example(form={"mood_before": "²", "mood_after": "３"}, act_id="٣" * 32)
@example(form={"note": "\ud800"}, act_id="a\ud800")
@example(form={"note": "\x00"}, act_id="\x00")
@example(form={"note": "x" * 501}, act_id="a" * 10_000)
async def test_edit_form(client, form, act_id):
    mine = str(uuid.uuid4())
    response = await post_form(client, "/acts", {"id": mine, "timezone": "UTC"})
    assert response.status_code == 303
    assert_readable(await post_form(client, f"/acts/{mine}", form))
    assert_readable(await post_form(client, f"/acts/{quoted(act_id)}", form))
    await assert_stored_rows_valid()


@SETTINGS
@given(
    form=fields("username", "passphrase", "passphrase_again"),
    same=st.booleans(),
)
@example(form={"username": "walker²", "passphrase": "correct horse ٣ battery"}, same=True)
@example(form={"username": "\ud800ab", "passphrase": "a long \ud800 passphrase"}, same=True)
@example(form={"username": "nul\x00", "passphrase": "a long \x00 passphrase"}, same=True)
@example(form={"username": "u" * 5000, "passphrase": "p" * 5000}, same=True)
async def test_claim_form(client, form, same):
    client.cookies.clear()  # a fresh visitor each time, so every claim can succeed
    if same and "passphrase" in form:
        form["passphrase_again"] = form["passphrase"]
    assert_readable(await post_form(client, "/account/claim", form))
    await assert_stored_rows_valid()


@SETTINGS
@given(
    sign_in=fields("username", "passphrase"),
    recover=fields("username", "recovery_code", "passphrase"),
)
@example(sign_in={"username": "²", "passphrase": "٣"}, recover={"recovery_code": "３" * 20})
@example(
    sign_in={"username": "\ud800", "passphrase": "\ud800"},
    recover={"username": "\ud800", "recovery_code": "\ud800", "passphrase": "long \ud800 one"},
)
@example(sign_in={"username": "\x00", "passphrase": "\x00"}, recover={"recovery_code": "\x00"})
@example(sign_in={"username": "u" * 5000}, recover={"recovery_code": "c" * 5000})
async def test_sign_in_and_recover_forms(client, sign_in, recover):
    assert_readable(await post_form(client, "/account/sign-in", sign_in))
    assert_readable(await post_form(client, "/account/recover", recover))
    await assert_stored_rows_valid()


@SETTINGS
@given(name=VALUE, slug=VALUE, token_id=VALUE)
@example(name="phone ²", slug="²", token_id="²")
@example(name="٣", slug="٣", token_id="٣")
@example(name="\ud800", slug="\ud800", token_id="1\ud800")
@example(name="a\x00b", slug="\x00", token_id="\x00")
@example(name="n" * 5000, slug="s" * 10_000, token_id="9" * 30)
async def test_tokens_and_mark_as_read(client, name, slug, token_id):
    assert_readable(await post_form(client, "/account/tokens", {"name": name}))
    assert_readable(await post_form(client, f"/account/tokens/{quoted(token_id)}/revoke"))
    assert_readable(await post_form(client, f"/articles/{quoted(slug)}/read", {}))
    assert_readable(await post_form(client, f"/articles/{quoted(slug)}/unread", {}))
    await assert_stored_rows_valid()


REMINDER_FIELDS = ("enabled", "time_of_day", "timezone", "quiet_start", "quiet_end")


@SETTINGS
@given(
    form=fields(*REMINDER_FIELDS, "skip_if_logged"),
    days=st.lists(VALUE, max_size=8),
    pause=VALUE,
    device=VALUE,
)
@example(
    form={"time_of_day": "1²:00", "quiet_start": "٢٢:00", "quiet_end": "０７:00"},
    days=NON_ASCII_DIGITS,
    pause="³",
    device="٣",
)
@example(form={"timezone": "\ud800", "time_of_day": "\ud800"}, days=["\ud800"], pause="\ud800",
         device="\ud800")  # fmt: skip
@example(form={"timezone": "UTC\x00"}, days=["1\x00"], pause="\x00", device="\x00")
@example(form={"timezone": "Z" * 5000}, days=["9" * 30], pause="9" * 30, device="9" * 30)
async def test_reminder_settings_form(client, form, days, pause, device):
    data = {**form, "days": days}
    assert_readable(await post_form(client, "/settings/reminders", data))
    assert_readable(await post_form(client, "/settings/reminders/pause", {"days": pause}))
    url = f"/settings/reminders/devices/{quoted(device)}/remove"
    assert_readable(await post_form(client, url))
    query = f"?test={quoted(pause)}-{quoted(device)}"
    assert_readable(await client.get(f"/settings/reminders{query}"))


@SETTINGS
@given(page=VALUE, idea=VALUE, logged=VALUE, feed=VALUE)
@example(page="²", idea="٣", logged="３", feed="²")
@example(page="\ud800", idea="\ud800", logged="\ud800", feed="\ud800.ics")
@example(page="\x00", idea="\x00", logged="\x00", feed="\x00.ics")
@example(page="9" * 30, idea="-" + "9" * 30, logged="a" * 10_000, feed="f" * 10_000 + ".ics")
@example(page="%ff", idea="%zz", logged="%ED%A0%80", feed="%ff.ics")
async def test_query_strings_and_feed_names(client, remembered, page, idea, logged, feed):
    if "token" not in remembered:
        remembered["token"] = await api_token(client)
    bearer = {"Authorization": f"Bearer {remembered['token']}"}
    assert_readable(await client.get(f"/acts?page={quoted(page)}"))
    assert_readable(await client.get(f"/?idea={quoted(idea)}&logged={quoted(logged)}"))
    assert_readable(await client.get(f"/api/v1/acts?page={quoted(page)}", headers=bearer))
    assert_readable(await client.get(f"/api/v1/acts?per_page={quoted(idea)}", headers=bearer))
    assert_readable(await client.get(f"/reminders/calendar/{quoted(feed)}"))


JSON_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    HOSTILE,
    st.lists(st.integers(), max_size=3),
    st.dictionaries(TEXT, st.integers(), max_size=2),
)
DEEP = 5000


async def api_token(client) -> str:
    await post_form(client, "/acts", {"timezone": "UTC"})
    response = await post_form(client, "/account/tokens", {"name": "hostile"})
    return soup(response).select_one("#token-value").get_text(strip=True)


def encoded(body: dict, how: str) -> bytes:
    """The body as JSON (lone surrogates escaped, as JSON allows), or broken on purpose."""
    if how == "repr":  # possibly not JSON at all
        return str(body).encode("utf-8", "surrogatepass")
    if how == "not UTF-8":  # JSON in shape, but a string in it is not UTF-8
        return json.dumps(body).encode()[:-1] + (b", " if body else b"") + b'"x": "\xff\xfe"}'
    if how == "nested deep":
        return b'{"note": ' + b"[" * DEEP + b"]" * DEEP + b"}"
    return json.dumps(body).encode()


@SETTINGS
@given(
    body=st.dictionaries(st.sampled_from(ACT_FIELDS), JSON_VALUE),
    how=st.sampled_from(["json", "repr", "not UTF-8", "nested deep"]),
)
@example(
    body={"mood_before": "²", "mood_after": "٣", "occurred_at": "２０２６-01-01T00:00Z"}, how="json"
)
@example(body={"note": "\ud800", "timezone": "\udfff", "id": "\ud800"}, how="json")
@example(body={"note": "\x00", "timezone": "UTC\x00", "category": "\x00"}, how="json")
@example(body={"note": "x" * 5000, "id": "i" * 10_000, "timezone": "z" * 5000}, how="json")
@example(body={}, how="nested deep")
@example(body={"note": "x"}, how="not UTF-8")
async def test_api_create_act(client, remembered, body, how):
    if "token" not in remembered:
        remembered["token"] = await api_token(client)
    headers = {"Authorization": f"Bearer {remembered['token']}", "Content-Type": "application/json"}
    response = await client.post("/api/v1/acts", content=encoded(body, how), headers=headers)
    assert_readable(response)
    assert response.status_code in (200, 201, 400, 409, 413, 422), response.text[:300]
    await assert_stored_rows_valid()


@SETTINGS
@given(
    body=st.dictionaries(st.sampled_from(["endpoint", "keys"]), JSON_VALUE),
    how=st.sampled_from(["json", "repr", "not UTF-8", "nested deep"]),
)
@example(body={"endpoint": "https://push.example/\ud800"}, how="json")
@example(body={"endpoint": "https://push.example/\x00"}, how="json")
@example(body={"endpoint": "https://push.example/" + "²" * 990}, how="json")
@example(body={}, how="nested deep")
@example(body={"endpoint": "x"}, how="not UTF-8")
async def test_push_subscription_bodies(client, body, how):
    token = await csrf_token(client)
    headers = {"x-csrftoken": token, "Content-Type": "application/json"}
    content = encoded(body, how)
    for method in ("POST", "DELETE"):
        response = await client.request(
            method, "/reminders/subscription", content=content, headers=headers
        )
        assert_readable(response)


@SETTINGS
@given(acts=st.lists(st.dictionaries(st.sampled_from(ACT_FIELDS), JSON_VALUE), max_size=5),
       how=st.sampled_from(["json", "repr", "not UTF-8", "nested deep"]))  # fmt: skip
@example(acts=[{"id": str(uuid.uuid4()), "occurred_at": "2026-01-01T00:00Z", "mood_before": "²"}],
         how="json")  # fmt: skip
@example(acts=[{"id": str(uuid.uuid4()), "occurred_at": "2026-01-01T00:00Z", "note": "\ud800"}],
         how="json")  # fmt: skip
@example(acts=[{"id": str(uuid.uuid4()), "occurred_at": "2026-01-01T00:00Z", "note": "\x00"}],
         how="json")  # fmt: skip
@example(acts=[{"id": "i" * 10_000, "occurred_at": "o" * 5000, "note": "n" * 5000}], how="json")
@example(acts=[], how="nested deep")
@example(acts=[], how="not UTF-8")
async def test_import_files(client, acts, how):
    token = await csrf_token(client, "/account")
    response = await client.post(
        "/account/import",
        headers={"x-csrftoken": token},
        files={"export": ("lifted.json", encoded({"acts": acts}, how), "application/json")},
    )
    assert_readable(response)
    await assert_stored_rows_valid()
