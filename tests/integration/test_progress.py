"""The Progress page and summary: right figures from a known history, only the reader's own."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from server.acts.models import Act
from server.identity.models import Account
from server.progress import service
from server.progress.momentum import ALPHA
from tests.integration.support import count_queries, sign_in_as, soup

TODAY = date(2026, 3, 18)  # a Wednesday


@pytest.fixture
def fixed_today(monkeypatch):
    """Fixes the reader's "today" and records the time zone the page asked about."""
    asked: list[str | None] = []

    def today_for(timezone):
        asked.append(timezone)
        return TODAY

    monkeypatch.setattr(service, "today_for", today_for)
    return asked


def act(account, day: date, category=None, before=None, after=None) -> Act:
    return Act(
        id=uuid.uuid4(),
        account=account,
        occurred_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
        timezone="Europe/Paris",
        local_date=day,
        category=category,
        mood_before=before,
        mood_after=after,
    )


async def history(account: Account) -> None:
    """15 acts on 7 days in 6 different weeks, one day of them before the year shown."""
    d = date
    await Act.bulk_create(
        [
            act(account, TODAY, "helping", 2, 4),
            act(account, TODAY, "helping", 3, 4),
            act(account, d(2026, 3, 16), "listening", 2, None),  # only one mood: no lift
            act(account, d(2026, 3, 12), "giving"),
            act(account, d(2026, 3, 12), "giving"),
            act(account, d(2026, 3, 12)),
            act(account, d(2026, 3, 2), "helping"),
            act(account, d(2026, 2, 20), "family", 3, 4),
            *[act(account, d(2025, 6, 10), "volunteering") for _ in range(5)],
            *[act(account, d(2024, 12, 1), "helping") for _ in range(2)],
        ]
    )


async def someone_else() -> None:
    other = await Account.create()
    await Act.bulk_create(
        [act(other, TODAY, "stranger", 1, 5) for _ in range(4)]
        + [act(other, date(2026, 3, 12), "stranger") for _ in range(6)]
    )


def stepwise_momentum(days: set[date], through: date) -> float:
    """The documented formula, day by day, independent of the service's closed form."""
    score, day = 0.0, min(days)
    while day <= through:
        score = score * (1 - ALPHA) + ALPHA * (day in days)
        day += timedelta(days=1)
    return score


async def test_summary_figures_for_a_known_history(client, fixed_today):
    account = await Account.create(timezone="Europe/Paris")
    await history(account)
    await someone_else()
    summary = await service.progress_summary(account, TODAY)
    assert summary["date"] == "2026-03-18"
    assert (summary["today"], summary["week"], summary["month"], summary["all_time"]) == (
        2,
        3,
        7,
        15,
    )
    assert (summary["days_this_week"], summary["days_this_month"]) == (2, 4)
    assert (summary["days_all_time"], summary["weeks_all_time"]) == (7, 6)
    assert summary["recent_acts"] == 15  # kinds and moods read from all of them
    assert summary["weeks_with_kindness"] == 3  # weeks of 2, 9 and 16 March
    active = {date(2025, 6, 10), date(2026, 2, 20), date(2026, 3, 2), date(2026, 3, 12)}
    active |= {date(2026, 3, 16), TODAY}
    assert summary["momentum"] == pytest.approx(stepwise_momentum(active, TODAY) * 100, abs=0.05)
    assert [(c["label"], c["count"]) for c in summary["categories"]] == [
        ("Helping", 5),
        ("Volunteering", 5),
        ("Giving", 2),
        ("Family", 1),
        ("Listening", 1),
        ("Other", 1),
    ]
    assert summary["helper_high"] == {
        "acts_with_both": 3,
        "average_lift": 1.3,  # lifts of 2, 1 and 1
        "average_before": 2.7,
        "average_after": 4.0,
    }
    reached = {m["id"]: m["reached_on"] for m in summary["milestones"]["reached"]}
    assert reached == {
        "first-act": "2024-12-01",
        "days-7": "2026-03-18",
        "acts-10": "2026-03-12",
        "weeks-4": "2026-03-02",
    }
    upcoming = summary["milestones"]["next"]
    assert (upcoming["goal"], upcoming["current"], upcoming["remaining"]) == ("25 acts", 15, 10)


async def test_page_shows_the_figures(client, fixed_today):
    account = await sign_in_as(client, timezone="Europe/Paris")
    await history(account)
    await someone_else()
    response = await client.get("/progress")
    assert response.status_code == 200
    assert fixed_today == ["Europe/Paris"]  # "today" comes from the reader's own time zone
    html = soup(response)
    assert len(html.select("h1")) == 1
    current = html.select_one("nav[aria-label=Main] a[aria-current=page]")
    assert current.get_text(strip=True) == "Progress"
    tally = [html.select_one(f"#count-{k}").get_text() for k in ("today", "week", "month", "all")]
    assert tally == ["2", "3", "7", "15"]
    assert html.select_one("#days-summary").get_text(strip=True) == (
        "Kindness on 2 days this week and 4 days this month."
    )
    assert html.select_one("#weeks-in-a-row").get_text(strip=True) == (
        "3 weeks in a row with kindness."
    )
    assert "As of Wednesday 18 March 2026" in html.select_one(".progress-as-of").get_text()


async def test_heatmap_cells_and_text_alternatives(client, fixed_today):
    account = await sign_in_as(client)
    await history(account)
    await someone_else()
    html = soup(await client.get("/progress"))
    svg = html.select_one("svg.heatmap")
    assert svg["role"] == "img"
    assert svg.select_one(f"title#{svg['aria-labelledby']}").get_text()
    cell = svg.select_one('rect[data-date="2026-03-12"]')
    assert "hm-3" in cell["class"]  # 3 acts: the 3-4 bucket; the other account's 6 don't count
    assert cell.select_one("title").get_text() == "3 acts on 12 March 2026"
    busy = svg.select_one('rect[data-date="2025-06-10"]')
    assert "hm-4" in busy["class"] and busy.title.get_text() == "5 acts on 10 June 2025"
    quiet = svg.select_one('rect[data-date="2026-03-17"]')
    assert "hm-0" in quiet["class"] and quiet.title.get_text() == "No acts on 17 March 2026"
    assert not svg.select_one('rect[data-date="2026-03-19"]')  # nothing drawn after today
    assert not svg.select_one('rect[data-date="2024-12-01"]')  # older than the year shown
    sentence = "You logged kindness on 6 days in the past year; busiest month: March 2026."
    assert html.select_one("#year-summary").get_text(strip=True) == sentence
    assert svg.select_one("desc").get_text() == sentence
    rows = {
        tr.th.get_text(): [td.get_text() for td in tr.select("td")]
        for tr in html.select("#year-table tbody tr")
    }
    assert rows["June 2025"] == ["5", "1"] and rows["March 2026"] == ["7", "4"]
    assert html.select_one("#year-table").find_parent(class_="visually-hidden")
    for chart in html.select("main svg"):
        assert chart["role"] == "img" and chart.select_one("title").get_text()
        assert chart.select_one("desc").get_text()
        assert not chart.select("[style]")


async def test_category_chart_momentum_helper_high_and_milestones(client, fixed_today):
    account = await sign_in_as(client)
    await history(account)
    await someone_else()
    html = soup(await client.get("/progress"))
    bars = html.select_one("svg.bars")
    counts = [int(rect["data-count"]) for rect in bars.select("rect.bar")]
    labels = [t.get_text() for t in bars.select("text:not(.chart-count)")]
    assert list(zip(labels, counts, strict=True))[:3] == [
        ("Helping", 5),
        ("Volunteering", 5),
        ("Giving", 2),
    ]
    assert "Helping: 5 acts" in bars.desc.get_text()
    gauge = html.select_one("svg.gauge")
    assert gauge["role"] == "img"
    shown = round((await service.progress_summary(account, TODAY))["momentum"])
    assert gauge.select_one(".gauge-number").get_text() == f"{shown}%"
    lift = html.select_one("#helper-lift").get_text(" ", strip=True)
    assert "1.3 points better" in lift and "across 3 acts" in lift
    helper = html.select_one(".helper-high").get_text(" ", strip=True)
    assert "This is your own record, not a medical measure. Many things affect mood." in helper
    reached = [li["data-milestone"] for li in html.select(".milestones li")]
    assert sorted(reached) == ["acts-10", "days-7", "first-act", "weeks-4"]
    ten = html.select_one('li[data-milestone="acts-10"]').get_text(" ", strip=True)
    assert "Ten acts of kindness" in ten and "12 March 2026" in ten
    assert html.select_one("#next-milestone").get_text(" ", strip=True).startswith("Next: 25 acts")


async def test_momentum_known_value_on_the_page(client, fixed_today):
    account = await sign_in_as(client)
    await Act.bulk_create([act(account, TODAY - timedelta(days=n)) for n in range(14)])
    summary = await service.progress_summary(account, TODAY)
    assert summary["momentum"] == 50.0
    assert summary["weeks_with_kindness"] == 3  # 14 days ending on a Wednesday span 3 weeks
    html = soup(await client.get("/progress"))
    assert html.select_one("svg.gauge .gauge-number").get_text() == "50%"
    assert "Momentum 50 out of 100." in html.select_one("svg.gauge desc").get_text()


async def test_a_quiet_today_does_not_lower_momentum_yet(client, fixed_today):
    account = await Account.create()
    await Act.bulk_create([act(account, TODAY - timedelta(days=n)) for n in range(1, 15)])
    summary = await service.progress_summary(account, TODAY)
    assert summary["momentum"] == 50.0  # counted up to yesterday: today isn't over
    assert summary["today"] == 0 and summary["weeks_with_kindness"] == 3


async def test_new_visitor_sees_a_kind_empty_state(client):
    response = await client.get("/progress")
    assert response.status_code == 200
    html = soup(response)
    empty = html.select_one(".progress-empty")
    assert "Your first act will show up here." in empty.get_text()
    assert empty.select_one('a[href="/"]').get_text(strip=True) == "Go to Today"
    assert not html.select("svg")
    assert "lifted_session" not in response.headers.get(
        "set-cookie", ""
    )  # reading makes no account


async def test_account_without_acts_sees_the_empty_state(client, fixed_today):
    await sign_in_as(client)
    await someone_else()
    html = soup(await client.get("/progress"))
    assert html.select_one(".progress-empty")
    assert not html.select_one("#count-all")


async def test_progress_is_precached_for_offline(client):
    response = await client.get("/sw.js")
    assert '"/progress"' in response.text.splitlines()[0]
    offline = soup(await client.get("/offline"))
    assert offline.select_one('main a[href="/progress"]')


async def test_cost_does_not_grow_with_the_number_of_acts(client, fixed_today, monkeypatch):
    small = await sign_in_as(client)
    await Act.bulk_create([act(small, TODAY - timedelta(days=n * 3)) for n in range(10)])
    big = await Account.create()
    # 2,000 acts over about three years, several a day.
    await Act.bulk_create(
        [act(big, TODAY - timedelta(days=n // 2), "helping", 2, 3) for n in range(2000)]
    )
    rows = count_queries(monkeypatch)
    assert (await client.get("/progress")).status_code == 200
    small_queries = len(rows)
    await sign_in_as(client, big)
    rows.clear()
    response = await client.get("/progress")
    assert soup(response).select_one("#count-all").get_text() == "2000"
    assert len(rows) == small_queries
    assert max(rows) <= 1000  # one row per day with acts at most, never one per act


async def test_kinds_and_moods_come_from_the_most_recent_acts(client, fixed_today):
    account = await sign_in_as(client)
    old = [act(account, TODAY - timedelta(days=400), "family", 5, 1) for _ in range(10)]
    new = [act(account, TODAY - timedelta(days=n % 300), "helping", 2, 3) for n in range(500)]
    await Act.bulk_create(old + new)
    summary = await service.progress_summary(account, TODAY)
    assert summary["all_time"] == 510 and summary["recent_acts"] == 500
    assert [(c["label"], c["count"]) for c in summary["categories"]] == [("Helping", 500)]
    assert summary["helper_high"]["acts_with_both"] == 500
    assert summary["helper_high"]["average_lift"] == 1.0
    html = soup(await client.get("/progress"))
    assert html.select_one("#kinds-scope").get_text() == "From your most recent 500 acts."
