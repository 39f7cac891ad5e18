"""More than one nudge a day, each with its own days and its own "skip if logged", a discreet
text, and a calendar feed with every time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from server.reminders import schedule, texts
from server.reminders.plans import TimeView
from server.reminders.scheduler import tick
from tests.integration.push_receiver import PushService
from tests.integration.support import (
    REMINDERS_ON,
    fast_sender,
    log_act,
    next_due,
    post_form,
    reader,
    sends,
    sign_in_as,
    soup,
)

TUESDAY = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
PAGE = "/settings/reminders"


def at(hour: int, minute: int = 0, day: int = 24) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def receiver():
    with PushService() as receiver:
        yield receiver


async def test_three_times_a_day_each_on_its_days_each_once(client, settings, receiver):
    # 09:00 every day (skip once logged), 13:00 every day (always), 18:00 Tuesdays only (skip).
    account, [device] = await reader(
        receiver,
        TUESDAY,
        at="09:00",
        more_times=[TimeView("13:00", list(range(7)), False), TimeView("18:00", [1], True)],
    )
    sender = fast_sender(settings)
    assert await next_due(account) == at(9)
    assert await tick(sender, at(9)) == {"sent": 1}
    assert await tick(sender, at(9)) == {}  # a second tick at the same instant sends nothing
    assert await next_due(account) == at(13)

    await log_act(account, date(2026, 11, 24), at(10), "UTC")
    assert await tick(sender, at(13)) == {"sent": 1}  # this time doesn't skip
    assert await next_due(account) == at(18)
    assert await tick(sender, at(18)) == {"skipped": 1}  # this one does
    # Wednesday: 09:00 and 13:00, no 18:00.
    assert await next_due(account) == at(9, day=25)
    await tick(sender, at(9, day=25))
    await tick(sender, at(13, day=25))
    assert await next_due(account) == at(9, day=26)

    assert receiver.count(device) == 4
    # The badge says "nothing logged yet today": not on the 13:00 after Tuesday's act.
    badges = [d.payload.get("app_badge") for d in receiver.for_device(device)]
    assert badges == [1, None, 1, 1]
    assert [(day.day, status) for day, status, _ in await sends(account)] == [
        (24, "sent"),
        (24, "sent"),
        (24, "skipped"),
        (25, "sent"),
        (25, "sent"),
    ]


async def test_the_form_keeps_up_to_three_times_and_removes_one(client, monkeypatch):
    monkeypatch.setattr(schedule, "utcnow", lambda: datetime(2026, 11, 29, 6, 0, tzinfo=UTC))
    await sign_in_as(client)
    form = {**REMINDERS_ON, "quiet_start": "", "quiet_end": ""}
    form |= {"time_of_day_2": "12:15", "days_2": ["5", "6"], "skip_if_logged_2": "on"}
    assert (await post_form(client, PAGE, form)).status_code == 303
    html = soup(await client.get(PAGE))
    assert html.select_one("#time_of_day_2")["value"] == "12:15"
    assert [i["value"] for i in html.select("input[name=days_2][checked]")] == ["5", "6"]
    # One more is offered, folded away, empty.
    assert html.select_one("details.more-time #time_of_day_3")["value"] == ""

    form |= {"time_of_day_3": "08:00", "days_3": ["0"]}  # skip unticked for this one
    assert (await post_form(client, PAGE, form)).status_code == 303
    html = soup(await client.get(PAGE))
    assert html.select_one("#time_of_day_3")["value"] == "08:00"
    assert not html.select_one("#skip_if_logged_3").has_attr("checked")
    assert not html.select("details.more-time")  # three is the most
    # Sunday 07:00 in Paris: the next is today's 12:15 (the Monday and weekday ones come later).
    assert "Sunday 29 November at 12:15" in html.select_one("#reach").get_text()

    form["remove_2"] = "on"
    assert (await post_form(client, PAGE, form)).status_code == 303
    html = soup(await client.get(PAGE))
    assert html.select_one("#time_of_day_2")["value"] == "08:00"
    assert not html.select_one("#time_of_day_3") or not html.select_one("#time_of_day_3")["value"]


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"time_of_day_2": "19:30"}, "time_of_day_2", "already have a reminder at 19:30"),
        ({"time_of_day_2": "7pm"}, "time_of_day_2", "like 12:30"),
        ({"time_of_day_2": "23:00"}, "quiet", "inside your quiet hours"),
        ({"time_of_day_2": "10:00", "days_2": []}, "days_2", "at least one day for this time"),
    ],
)
async def test_a_wrong_second_time_is_explained_and_nothing_is_saved(client, extra, field, words):
    await sign_in_as(client)
    response = await post_form(client, PAGE, {**REMINDERS_ON, "days_2": ["0"], **extra})
    assert response.status_code == 422
    html = soup(response)
    assert words in html.select_one('[role="alert"]').get_text()
    if field != "quiet":
        assert html.select_one(f"#{field}-error")
    assert not soup(await client.get(PAGE)).select_one("#enabled").has_attr("checked")


async def test_discreet_reminders_say_nothing_about_how_you_are(client, settings, receiver):
    account, [device] = await reader(receiver, TUESDAY, discreet=True)
    await tick(fast_sender(settings), at(9))
    [delivery] = receiver.for_device(device)
    shown = delivery.payload["notification"]
    assert (shown["title"], shown["body"]) == ("Lifted", "A gentle nudge from Lifted.")
    assert [a["action"] for a in shown["actions"]] == ["done", "snooze"]
    assert shown["data"] == {"discreet": True}  # sw.js answers "I did one" as plainly
    # The warm texts all speak of kindness or how you feel; the discreet one never does.
    assert all(item["body"] != shown["body"] for item in texts.reminder_texts())


async def test_the_calendar_carries_every_time(client):
    await sign_in_as(client)
    form = {**REMINDERS_ON, "time_of_day_2": "12:15", "days_2": ["5", "6"], "discreet": "on"}
    await post_form(client, PAGE, form)
    await post_form(client, PAGE + "/calendar")
    link = soup(await client.get(PAGE)).select_one("#calendar-url")["value"]
    feed = (await client.get(link.split("127.0.0.1:8000", 1)[-1])).text
    events = feed.split("BEGIN:VEVENT")[1:]
    assert len(events) == 2
    assert "T193000" in events[0] and "BYDAY=MO,WE,FR" in events[0]
    assert "T121500" in events[1] and "BYDAY=SA,SU" in events[1]
    uids = [line for line in feed.splitlines() if line.startswith("UID:")]
    assert len(set(uids)) == 2
    assert "SUMMARY:A gentle nudge (Lifted)" in feed and "kindness" not in feed


async def test_after_downtime_only_the_latest_due_time_is_sent(client, settings, receiver):
    account, [device] = await reader(
        receiver, TUESDAY, at="13:00", more_times=[TimeView("13:05", list(range(7)), True)]
    )
    # Down from 12:50 to 13:30: both times are within the grace window, one nudge comes.
    assert await tick(fast_sender(settings), at(13, 30)) == {"skipped": 1, "sent": 1}
    assert receiver.count(device) == 1
    assert [status for _, status, _ in await sends(account)] == ["skipped", "sent"]


async def test_an_error_shows_beside_the_time_it_is_about(client):
    await sign_in_as(client)
    form = {**REMINDERS_ON, "time_of_day_2": "", "time_of_day_3": "19:30", "days_3": ["1"]}
    html = soup(await post_form(client, PAGE, form))
    # Time 2 was empty, so the wrong time shows as the second, its error with it.
    assert html.select_one("#time_of_day_2")["value"] == "19:30"
    assert "already have a reminder" in html.select_one("#time_of_day_2-error").get_text()
    assert not html.select_one("#time_of_day_3-error")
