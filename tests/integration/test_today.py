"""Today's server side: the greeting in the reader's zone, the week's glimpse (read with the
day's count, and inside the tap's one statement), and "Log it on Today" at an article's end
without JavaScript."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.acts.content import CONFIRMATIONS, IDEAS
from server.acts.models import Act
from server.acts.week import week_of
from server.pages.greeting import words_for
from tests.integration.support import (
    Visitor,
    act_count,
    count_queries,
    log_act,
    post_form,
    sign_in_as,
    soup,
)

# Acts on each day of the week, Monday first (only the days up to today are logged).
PATTERN = (2, 0, 1, 3, 0, 1, 2)
CATEGORY_OF_IDEA = {idea.id: idea.category for idea in IDEAS}


def week_counts(html) -> list[int]:
    return [int(li["data-count"]) for li in html.select("#tap-week li")]


async def log_this_week(account) -> list[int]:
    """Acts by PATTERN up to today (UTC), one on last week's Sunday; the expected counts."""
    today = datetime.now(UTC).date()
    expected = [0] * 7
    for index, day in enumerate(week_of(today)[: today.weekday() + 1]):
        for _ in range(PATTERN[index]):
            await log_act(account, day, datetime.combine(day, time(0, 5), UTC), "UTC")
        expected[index] = PATTERN[index]
    sunday = week_of(today)[0] - timedelta(days=1)
    await log_act(account, sunday, datetime.combine(sunday, time(12), UTC), "UTC")
    return expected


async def test_todays_week_counts_each_day_monday_first(client):
    empty = soup(await client.get("/"))
    assert empty.select_one("#tap-week").has_attr("hidden")  # no row of hollow dots
    assert week_counts(empty) == [0] * 7

    account = await sign_in_as(client, timezone="UTC")
    expected = await log_this_week(account)
    html = soup(await client.get("/"))
    today = datetime.now(UTC).date()
    week = html.select_one("#tap-week")
    assert not week.has_attr("hidden") and not week.has_attr("data-hx-swap-oob")
    assert [li["data-date"] for li in week.select("li")] == [d.isoformat() for d in week_of(today)]
    assert week_counts(html) == expected
    assert html.select_one("[data-tap-count]")["data-count"] == str(expected[today.weekday()])
    days = week.select("li")
    assert [d.get_text(strip=True)[0] for d in days] == list("MTWTFSS")
    assert ["is-filled" in d["class"] for d in days] == [count > 0 for count in expected]
    assert [d for d in days if "is-today" in d["class"]] == [days[today.weekday()]]
    labels = [d.select_one(".visually-hidden").get_text() for d in days]
    assert labels[today.weekday()].startswith(f"{today:%A}, today: ")
    monday = "Monday: 2 acts" if today.weekday() else "Monday, today: 2 acts"
    assert labels[0] == monday
    assert all(label.endswith("still ahead") for label in labels[today.weekday() + 1 :])


async def test_a_tap_answers_with_its_week_from_its_one_statement(client, monkeypatch):
    account = await sign_in_as(client, timezone="UTC")
    expected = await log_this_week(account)
    visitor = Visitor(client)
    await visitor.open_home()
    rows = count_queries(monkeypatch)
    answer = await visitor.tap(timezone="UTC")
    # The session was looked up when the page opened (each process keeps it, identity/cache.py):
    # the insert that also reads the week is the tap's one statement.
    assert len(rows) == 1
    fragment = soup(answer)
    today = datetime.now(UTC).weekday()
    expected[today] += 1  # counted once, on both databases (RETURNING sees the week before it)
    # The week rides on the counter in a few bytes; the glimpse itself is on the page.
    counter = fragment.select_one("[data-tap-count]")
    assert counter["data-week-counts"] == ",".join(map(str, expected))
    assert counter["data-count"] == str(expected[today])
    assert not fragment.select_one("#tap-week")
    assert len(answer.content) < 1024  # small enough to go uncompressed (server/compression.py)
    assert week_counts(soup(await client.get("/"))) == expected
    # A retry of the same tap reads the week afresh and answers the same.
    key = str(uuid.uuid4())
    first, again = [soup(await visitor.tap(id=key, timezone="UTC")) for _ in range(2)]
    expected[today] += 1
    weeks = [answer.select_one("[data-tap-count]")["data-week-counts"] for answer in (first, again)]
    assert weeks == [",".join(map(str, expected))] * 2


async def test_log_it_on_today_from_an_article_without_javascript(client, app):
    article = app.state.library.articles[0]
    visitor = Visitor(client)
    # The page made for everyone shows its box to scripts; without them, a link to this
    # reader's own copy of the page, whose form carries an id of its own.
    shared = soup(await visitor.open_home(article.url))
    assert shared.select_one("#try-today [data-tap-area]").has_attr("hidden")
    link = shared.select_one("#try-today noscript a")
    assert link.get_text() == "Log it on Today"
    assert link["href"] == f"{article.url}?log=1#try-today"
    page = soup(await visitor.open_home(link["href"].split("#")[0]))
    assert not page.select_one("#try-today [data-tap-area]").has_attr("hidden")
    form = page.select_one("#try-today form[data-outbox-form]")
    assert form["action"] == "/acts" and form["method"] == "post"
    fields = {field["name"]: field.get("value", "") for field in form.select("input")}
    assert fields["next"] == article.url
    assert fields["category"] == CATEGORY_OF_IDEA[article.idea]
    assert not page.select_one("#try-status [data-tap-count]")  # no count before a tap

    for _ in range(2):  # a form sent twice is still one act
        sent = await client.post("/acts", data=fields, follow_redirects=False)
        assert sent.status_code == 303
        assert sent.headers["location"] == f"{article.url}?logged={fields['id']}#try-today"
    act = await Act.get(id=fields["id"])
    assert act.category == CATEGORY_OF_IDEA[article.idea] and await act_count() == 1

    back = soup(await client.get(sent.headers["location"]))
    box = back.select_one("#try-today")
    assert box.select_one("[data-tap-count]").get_text() == "1 act of kindness today"
    assert box.select_one(".tap-confirmation").get_text() in CONFIRMATIONS
    details = box.select_one(f'a[href="/acts/{act.id}?next={article.url}"]')
    assert details.get_text() == "Add details"
    # Saving the details returns to the article's box, not to the history.
    saved = await post_form(client, details["href"].split("?")[0], {"next": article.url})
    assert saved.headers["location"] == f"{article.url}?saved=1#try-today"
    undo = box.select_one("form.undo-form")
    assert undo.select_one("input[name=next]")["value"] == article.url
    assert not back.select_one("#tap-week")  # the week belongs to Today
    assert [h.get_text() for h in back.select("h1")] == [article.title]

    removed = await visitor.post(undo["action"], {"next": article.url})
    assert removed.headers["location"] == f"{article.url}?undone=1#try-today"
    again = soup(await client.get(removed.headers["location"]))
    assert again.select_one("#try-status .tap-confirmation").get_text() == "Removed. No harm done."
    assert await act_count() == 0


async def test_a_script_tap_from_an_article_is_answered_for_the_article(client, app):
    article = app.state.library.articles[0]
    visitor = Visitor(client)
    answer = soup(await visitor.tap(next=article.url, category="helping"))
    assert answer.select_one("[data-tap-count]").get_text() == "1 act of kindness today"
    assert not answer.select_one("#tap-week")  # no week to swap out of band on an article
    assert answer.select_one("form.undo-form input[name=next]")["value"] == article.url
    key = answer.select_one("form.undo-form")["action"].split("/")[2]
    undone = soup(await visitor.post(f"/acts/{key}/delete", {"next": article.url}, htmx=True))
    assert undone.select_one(".tap-confirmation").get_text() == "Removed. No harm done."
    assert await act_count() == 0


async def test_a_tap_or_undo_returns_only_to_today_or_an_article(client):
    visitor = Visitor(client)
    for elsewhere in ["https://example.org/", "//example.org/x", "/articles/../account", "/acts"]:
        key = str(uuid.uuid4())
        sent = await visitor.tap(htmx=False, id=key, next=elsewhere)
        assert sent.headers["location"] == f"/?logged={key}#log", elsewhere
        gone = await visitor.post(f"/acts/{key}/delete", {"next": elsewhere})
        # Anything else is a delete from the history: back there, with Undo offered.
        assert gone.headers["location"] == f"/acts?deleted={key}", elsewhere
    assert await act_count() == 0


async def test_today_greets_the_reader_in_their_time_zone(client):
    zone = "Pacific/Kiritimati"  # UTC+14: another day than UTC for ten hours of each day
    await sign_in_as(client, timezone=zone)
    before = datetime.now(ZoneInfo(zone))
    html = soup(await client.get("/"))
    after = datetime.now(ZoneInfo(zone))
    head = html.select_one("hgroup[data-greeting]")
    assert head.select_one("h1").get_text() in {words_for(before.hour), words_for(after.hour)}
    date = head.select_one("time[data-greeting-date]")
    assert (date.get_text(), date["datetime"]) in {
        (f"{moment:%A} {moment.day} {moment:%B}", moment.date().isoformat())
        for moment in (before, after)
    }
    assert len(html.select("h1")) == 1
