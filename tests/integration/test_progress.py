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

    def today_for(timezone, day_end=0):
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
        ("Act of kindness", 1),
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
    # What progress.js adds waiting taps to: the page's date and each count as the server had it.
    counts = html.select_one("dl.tally[data-progress-tally]")
    assert counts["data-date"] == "2026-03-18"
    assert [dd["data-count"] for dd in counts.select("dd[data-period]")] == tally
    assert [dt.get_text() for dt in counts.select("dt")] == [
        "Today",
        "This week",
        "This month",
        "All time",
    ]
    assert html.select_one('script[src^="/static/progress."]')
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
        assert not chart.select("[style]")
        if chart.get("aria-hidden") == "true":
            continue  # a drawing that repeats the text beside it (gauge, weekdays, bars)
        assert chart["role"] == "img" and chart.select_one("title").get_text()
        assert chart.select_one("desc").get_text()
    # The grid scrolls in its own box, opens on this week, and says it scrolls.
    scroller = html.select_one(".heatmap-scroll")
    assert scroller["role"] == "region" and scroller["tabindex"] == "0"
    assert svg in scroller.find_all("svg")
    hint = html.select_one("#heatmap-hint")
    assert " ".join(hint.get_text().split()) == "← Swipe to see earlier months"
    assert hint.select_one("[aria-hidden=true]").get_text() == "←"  # the arrow is not read
    days = html.select_one(".year-grid svg.heatmap-days")
    assert [t.get_text() for t in days.select("text")] == ["Mon", "Wed", "Fri"]


async def test_category_chart_momentum_helper_high_and_milestones(client, fixed_today):
    account = await sign_in_as(client)
    await history(account)
    await someone_else()
    html = soup(await client.get("/progress"))
    kinds = [
        (li.select_one(".kind-label").get_text(), li.select_one(".kind-count").get_text())
        for li in html.select("#kinds li")
    ]
    assert kinds[:3] == [("Helping", "5 acts"), ("Volunteering", "5 acts"), ("Giving", "2 acts")]
    summary = await service.progress_summary(account, TODAY)
    # The act with no kind is named as the summary names it, wherever that name is chosen.
    nameless = next(c["label"] for c in summary["categories"] if c["id"] is None)
    assert (nameless, "1 act") in kinds
    bars = [float(rect["width"]) for rect in html.select("#kinds svg.kind-bar rect.bar")]
    assert bars[:3] == [100, 100, 40]
    shown = round(summary["momentum"])
    assert html.select_one("#momentum-number").get_text() == f"momentum {shown} of 100"
    assert html.select_one("svg.gauge")["aria-hidden"] == "true"
    lift = html.select_one("#helper-lift").get_text(" ", strip=True)
    assert "1.3 points better" in lift and "across 3 acts" in lift
    helper = html.select_one(".helper-high").get_text(" ", strip=True)
    assert "This is your own record, not a medical measure. Many things affect mood." in helper
    reached = [li["data-milestone"] for li in html.select(".milestones li")]
    assert sorted(reached) == ["acts-10", "days-7", "first-act", "weeks-4"]
    ten = html.select_one('li[data-milestone="acts-10"]').get_text(" ", strip=True)
    assert "Ten acts of kindness" in ten and "12 March 2026" in ten
    assert html.select_one("#next-milestone").get_text(" ", strip=True).startswith("Next: 25 acts")


def day_cell(month, iso: str) -> tuple[str, str]:
    """A day's number, and all it says to a screen reader (its text as written, no spaces
    added between its parts)."""
    cell = month.select_one(f'td[data-date="{iso}"]')
    return cell.select_one(".md-date").get_text(), " ".join(cell.get_text().split())


async def test_month_calendars_show_each_day_and_step_back_a_year(client, fixed_today):
    account = await sign_in_as(client)
    await history(account)
    await someone_else()
    html = soup(await client.get("/progress"))
    months = html.select(".months > section.month")
    # This month first, then back to April 2025: whole months inside the year already read.
    assert [m["id"] for m in months][:3] == ["month-2026-03", "month-2026-02", "month-2026-01"]
    assert months[-1]["id"] == "month-2025-04" and len(months) == 12
    march = html.select_one("#month-2026-03")
    assert "month-current" in march["class"]
    assert html.select(".month-current") == [march]  # the one shown without a link
    assert march.select_one("h2").get_text() == "March 2026"
    assert march.select_one(".month-total").get_text() == "7 acts on 4 days"
    # A table with headers; 1 March 2026 was a Sunday, so six blank days come first.
    assert march.select_one("caption").get_text() == "Acts of kindness each day, March 2026"
    headers = [th.select_one(".visually-hidden").get_text() for th in march.select("thead th")]
    assert headers[0] == "Monday" and headers[-1] == "Sunday"
    first_week = march.select("tbody tr")[0].select("td")
    assert [td.get("data-date") for td in first_week] == [None] * 6 + ["2026-03-01"]
    # Each day's count; the other account's 6 acts on the 12th are not here.
    assert day_cell(march, "2026-03-12") == ("12", "12 3 acts")
    assert day_cell(march, "2026-03-13") == ("13", "13")
    today = march.select_one('td[aria-current="date"]')
    assert today["data-date"] == "2026-03-18"
    assert day_cell(march, "2026-03-18") == ("18", "18 2 acts, today")
    assert "md-future" in march.select_one('td[data-date="2026-03-19"]')["class"]
    # Stepping back is a link to the month before, in the page: it works offline too.
    older = march.select_one("a.month-older")
    assert older["href"] == "#month-2026-02"
    assert older.get_text(" ", strip=True) == "‹ February 2026"
    assert not march.select_one("a.month-newer")
    february = html.select_one("#month-2026-02")
    assert day_cell(february, "2026-02-20") == ("20", "20 1 act")
    assert february.select_one("a.month-newer")["href"] == "#month-2026-03"
    june = html.select_one("#month-2025-06")
    assert june.select_one(".month-total").get_text() == "5 acts on 1 day"
    assert june.select_one(".month-back a")["href"] == "#month-2026-03"
    quiet = html.select_one("#month-2025-09")
    assert quiet.select_one(".month-total").get_text() == (
        "Nothing logged in September, and that's okay."
    )
    assert not html.select_one("#month-2025-04 a.month-older")


async def test_momentum_known_value_on_the_page(client, fixed_today):
    account = await sign_in_as(client)
    await Act.bulk_create([act(account, TODAY - timedelta(days=n)) for n in range(14)])
    summary = await service.progress_summary(account, TODAY)
    assert summary["momentum"] == 50.0
    assert summary["weeks_with_kindness"] == 3  # 14 days ending on a Wednesday span 3 weeks
    html = soup(await client.get("/progress"))
    assert html.select_one("#momentum-words").get_text() == "Steady"
    assert html.select_one("#momentum-number").get_text() == "momentum 50 of 100"


async def test_a_first_day_reads_as_a_good_start_with_words_before_the_number(client, fixed_today):
    account = await sign_in_as(client)
    await Act.bulk_create([act(account, TODAY)])
    html = soup(await client.get("/progress"))
    card = html.select_one(".momentum")
    text = card.get_text(" ", strip=True)
    assert text.index("A good start") < text.index("momentum 5 of 100")
    assert "%" not in text
    assert "It never resets" in text
    assert html.select_one("#momentum-words").get_text() == "A good start"


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
    assert "Your first act will show up here" in empty.select_one("h2").get_text()
    # The next step: the tap on Today, as the one main action, and an idea where to start.
    assert empty.select_one('a.button[href="/"]').get_text(strip=True) == "Go to Today"
    assert empty.select_one('a[href="/articles"]')
    assert empty.select_one("[data-progress-empty-waiting]").has_attr("hidden")
    assert not html.select("svg") and not html.select_one(".progress-as-of")
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
