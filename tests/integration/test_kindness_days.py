"""Kindness days: one or two days a week with a gentle aim. Today counts the day's acts against
it without failure words, Progress names the days and compares the mood lift once there is
enough to compare; bad choices are asked again and change nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from server.acts.models import Act
from server.acts.service import today_for
from server.days import DAY_NAMES
from server.kindness.models import KindnessDays
from server.rest.models import Rest
from tests.integration.support import post_form, sign_in_as, soup, tap

# Words a day that didn't reach its aim must never meet.
VERDICTS = ("miss", "fail", "behind", "only ", "short")


def _card(html) -> str:
    card = html.select_one(".kindness-day")
    return card.get_text(" ", strip=True) if card else ""


async def test_today_counts_a_kindness_day_against_its_gentle_aim(client):
    account = await sign_in_as(client, timezone="UTC")
    today = today_for(account)
    other = (today.weekday() + 3) % 7
    chosen = {"days": [str(today.weekday()), str(other)], "aim": "4"}
    saved = await post_form(client, "/settings/kindness-days", chosen)
    assert (saved.status_code, saved.headers["location"]) == (
        303,
        "/settings/kindness-days?saved=1",
    )
    page = soup(await client.get(saved.headers["location"]))
    names = " and ".join(DAY_NAMES[d] for d in sorted({today.weekday(), other}))
    assert page.select_one(".notice.success").get_text(strip=True) == (
        f"Saved. Your kindness days are {names}."
    )
    assert sorted(i["value"] for i in page.select("input[name=days][checked]")) == sorted(
        chosen["days"]
    )

    said = []
    for taps in range(5):
        home = soup(await client.get("/"))
        said.append(_card(home))
        assert len(home.select(".kindness-day .aim-dots li.is-filled")) == min(taps, 4)
        await tap(client)
    assert said[0].startswith("Today is a kindness day Your gentle aim today: 4 acts")
    assert "2 of 4 so far." in said[2]
    assert "4 today: you reached your aim of 4. Anything more is a bonus." in said[4]
    assert not any(word in text.lower() for text in said for word in VERDICTS)


async def test_no_card_on_other_days_or_on_a_break(client):
    account = await sign_in_as(client, timezone="UTC")
    today = today_for(account)
    await post_form(client, "/settings/kindness-days", {"days": [str((today.weekday() + 1) % 7)]})
    assert _card(soup(await client.get("/"))) == ""
    await post_form(client, "/settings/kindness-days", {"days": [str(today.weekday())], "aim": "3"})
    assert _card(soup(await client.get("/")))
    await Rest.create(account=account, starts_on=today)
    assert _card(soup(await client.get("/"))) == ""


async def test_unticking_every_day_means_none(client):
    account = await sign_in_as(client, timezone="UTC")
    today = today_for(account)
    await post_form(client, "/settings/kindness-days", {"days": [str(today.weekday())], "aim": "5"})
    cleared = await post_form(client, "/settings/kindness-days", {"aim": "5"})
    assert cleared.status_code == 303
    assert not await KindnessDays.filter(account=account).exists()
    assert _card(soup(await client.get("/"))) == ""
    page = soup(await client.get("/settings/kindness-days?saved=1"))
    assert (
        page.select_one(".notice.success").get_text(strip=True)
        == "Saved. No kindness days for now."
    )


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"days": ["0", "2", "4"], "aim": "3"}, "#days-error", "Choose one or two days, or none."),
        ({"days": ["0"], "aim": "7"}, "#aim-error", "Choose an aim of 3, 4 or 5 acts."),
        ({"days": ["0"], "aim": "٣"}, "#aim-error", "Choose an aim of 3, 4 or 5 acts."),
        ({"days": ["0"]}, "#aim-error", "Choose an aim of 3, 4 or 5 acts."),
    ],
)
async def test_a_choice_not_offered_is_asked_again_and_saves_nothing(client, form, field, message):
    account = await sign_in_as(client, timezone="UTC")
    answer = await post_form(client, "/settings/kindness-days", form)
    assert answer.status_code == 422
    assert soup(answer).select_one(field).get_text(strip=True) == message
    assert not await KindnessDays.filter(account=account).exists()


async def _acts(account, day, count: int, before: int, after: int) -> None:
    when = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    for n in range(count):
        await Act.create(
            id=uuid.uuid4(), account=account, occurred_at=when + timedelta(minutes=n),
            timezone="UTC", local_date=day, mood_before=before, mood_after=after,
        )  # fmt: skip


async def test_progress_names_the_days_and_compares_the_lift_once_there_is_enough(client):
    account = await sign_in_as(client, timezone="UTC")
    today = today_for(account)
    kind_day, plain_day = today - timedelta(days=7), today - timedelta(days=8)
    await post_form(
        client, "/settings/kindness-days", {"days": [str(kind_day.weekday())], "aim": "3"}
    )
    await _acts(account, kind_day, 4, before=2, after=4)
    await _acts(account, plain_day, 5, before=3, after=3)
    page = soup(await client.get("/progress"))
    assert page.select_one("#kindness-key").get_text(" ", strip=True) == (
        f"Your kindness day: {DAY_NAMES[kind_day.weekday()]}."
    )
    heads = page.select(".month-grid th.kd .visually-hidden")
    assert {h.get_text() for h in heads} == {f"{DAY_NAMES[kind_day.weekday()]}, a kindness day"}
    assert "(so far 4 and 5)" in page.select_one("#kindness-lift").get_text()

    await _acts(account, kind_day, 1, before=2, after=4)
    lift = soup(await client.get("/progress")).select_one("#kindness-lift").get_text()
    assert lift == (
        "On your kindness days your mood rose by 2 on average across 5 acts; "
        "on other days by 0 across 5."
    )
