"""An act's details page: Save and Back lead where the reader came from (Today, or the same
page and row of the history), only ever to allow-listed places; the one name of an act with
no kind, everywhere; the history's days with their counts, rows and links."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from server.acts.content import UNSORTED
from server.acts.models import Act
from server.identity.models import Account
from tests.integration.support import Visitor, iso, sign_in_as, soup
from tests.integration.test_progress import act, count_queries


def _day(moment: datetime) -> str:
    """A day heading's words: "Saturday 28 November", with the year when not this one."""
    label = f"{moment:%A} {moment.day} {moment:%B}"
    return label if moment.year == datetime.now(UTC).year else f"{label} {moment.year}"


DETAILS = {"category": "listening", "note": "Sat with Alex\nand mostly listened"}


async def test_details_opened_from_today_save_back_to_today(client):
    visitor = Visitor(client)
    key = str(uuid.uuid4())
    await visitor.tap(htmx=False, id=key)
    today = soup(await visitor.client.get(f"/?logged={key}"))
    link = today.select_one(".tap-actions a")
    assert link.get_text(strip=True) == "Add details" and link["href"] == f"/acts/{key}?next=/"

    form = soup(await visitor.client.get(link["href"]))
    assert form.select_one("form.act-form input[name=next]")["value"] == "/"
    back = form.select_one(".act-form .button-row a")
    assert (back["href"], back.get_text(strip=True)) == ("/#log", "Back to Today")
    saved = await visitor.post(f"/acts/{key}", {**DETAILS, "next": "/"})
    assert saved.status_code == 303 and saved.headers["location"] == "/?saved=1#log"
    home = soup(await visitor.client.get(saved.headers["location"]))
    assert home.select_one(".tap-confirmation").get_text(strip=True) == "Saved your changes."


async def test_details_opened_from_a_reading_say_they_go_back_to_it(client):
    visitor = Visitor(client)
    key = str(uuid.uuid4())
    await visitor.tap(htmx=False, id=key)
    reading = "/articles/altruism-as-therapy"
    for came_from, words in ((reading, "Back to the reading"), ("/acts", "Back to your acts")):
        form = soup(await visitor.client.get(f"/acts/{key}?next={came_from}"))
        back = form.select_one(".act-form .button-row a")
        assert back.get_text(strip=True) == words and back["href"].startswith(came_from)


async def test_details_opened_from_history_save_back_to_the_same_page_and_row(client):
    visitor = Visitor(client)
    start = datetime.now(UTC) - timedelta(days=2)
    keys = [str(uuid.uuid4()) for _ in range(23)]
    for minutes, key in enumerate(keys):
        await visitor.tap(id=key, occurred_at=iso(start + timedelta(minutes=minutes)))
    second = soup(await visitor.client.get("/acts?page=2"))
    oldest = keys[0]
    link = second.select_one(f"#act-{oldest} a.row")
    assert link["href"] == f"/acts/{oldest}?next=/acts%3Fpage%3D2"

    form = soup(await visitor.client.get(link["href"]))
    assert form.select_one("form.act-form input[name=next]")["value"] == "/acts?page=2"
    assert form.select_one(".act-form .button-row a")["href"] == f"/acts?page=2#act-{oldest}"
    assert form.select_one("form.delete-form input[name=next]")["value"] == "/acts?page=2"
    saved = await visitor.post(f"/acts/{oldest}", {**DETAILS, "next": "/acts?page=2"})
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/acts?page=2&saved=1#act-{oldest}"
    again = soup(await visitor.client.get(saved.headers["location"]))
    assert again.select_one(".notice").get_text(strip=True) == "Saved your changes."
    row = again.select_one(f"#act-{oldest}").get_text(" ", strip=True)
    # The note's first line only; a mood change needs both moods.
    assert "Listening" in row and "Sat with Alex" in row and "mostly" not in row
    assert "Mood" not in row


@pytest.mark.parametrize(
    "crafted",
    [
        "https://elsewhere.example/",
        "//elsewhere.example/acts",
        "/\\elsewhere.example",
        "javascript:alert(1)",
        "/account/delete",
        "/acts/../account",
        "/acts?page=0",
    ],
)
async def test_a_crafted_next_is_never_followed(client, crafted):
    visitor = Visitor(client)
    key = str(uuid.uuid4())
    await visitor.tap(id=key)
    form = soup(await visitor.client.get(f"/acts/{key}", params={"next": crafted}))
    assert form.select_one("form.act-form input[name=next]")["value"] == "/acts"
    assert form.select_one(".act-form .button-row a")["href"] == f"/acts#act-{key}"
    assert "elsewhere" not in form.decode()
    saved = await visitor.post(f"/acts/{key}", {**DETAILS, "next": crafted})
    assert saved.status_code == 303 and saved.headers["location"] == f"/acts?saved=1#act-{key}"
    gone = await visitor.post(f"/acts/{key}/delete", {"next": crafted})
    assert gone.headers["location"] == f"/acts?deleted={key}"
    back = await visitor.post(f"/acts/{key}/restore", {"next": crafted})
    assert back.headers["location"] == f"/acts?restored=1#act-{key}"


async def test_a_refused_save_keeps_where_to_return(client):
    visitor = Visitor(client)
    key = str(uuid.uuid4())
    await visitor.tap(id=key)
    refused = await visitor.post(f"/acts/{key}", {"note": "x" * 501, "next": "/"})
    assert refused.status_code == 422
    page = soup(refused)
    assert page.select_one("form.act-form input[name=next]")["value"] == "/"
    assert page.select_one("textarea#note")["maxlength"] == "500"
    assert page.select_one("#note-count").get_text(strip=True) == "501 of 500"
    assert "over" in page.select_one("#note-count")["class"]


async def test_an_act_without_a_kind_has_one_name_everywhere(client):
    visitor = Visitor(client)
    bare, sorted_one = str(uuid.uuid4()), str(uuid.uuid4())
    await visitor.tap(id=bare)
    await visitor.tap(id=sorted_one, category="helping")
    assert UNSORTED == "Act of kindness"

    history = soup(await visitor.client.get("/acts"))
    assert history.select_one(f"#act-{bare} .act-kind").get_text(strip=True) == UNSORTED
    assert history.select_one(f"#act-{sorted_one} .act-kind").get_text(strip=True) == "Helping"
    details = soup(await visitor.client.get(f"/acts/{bare}"))
    chosen = details.select_one("fieldset.kinds input:checked").find_parent("label")
    assert chosen.get_text(strip=True) == UNSORTED
    progress = soup(await visitor.client.get("/progress"))
    kinds = [t.get_text(strip=True) for t in progress.select("#kinds .kind-label")]
    assert UNSORTED in kinds and "Other" not in kinds
    assert "Not chosen" not in details.decode() and "Other" not in progress.decode()
    # The export keeps the data as it is: no kind is no category, not a label.
    exported = (await visitor.client.get("/account/export.json")).json()["acts"]
    assert {a["id"]: a["category"] for a in exported} == {bare: None, sorted_one: "helping"}


async def test_history_days_show_their_count_and_each_row_opens_its_act(client):
    visitor = Visitor(client)
    noon = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    later, earlier = noon - timedelta(days=3), noon - timedelta(days=4)
    # 19 acts on the later day and 3 on the earlier one: the first page ends inside it.
    for n in range(19):
        await visitor.tap(occurred_at=iso(later - timedelta(minutes=n)))
    lifted = str(uuid.uuid4())
    await visitor.tap(id=lifted, occurred_at=iso(earlier), mood_before="2", mood_after="4")
    for n in range(2):
        await visitor.tap(occurred_at=iso(earlier - timedelta(hours=n + 1)))

    first = soup(await visitor.client.get("/acts"))
    headings = [h.get_text(" ", strip=True) for h in first.select(".act-day h2")]
    assert headings == [
        f"{_day(later)} · 19 acts",
        # One row of it on this page, but the heading counts the day's three acts.
        f"{_day(earlier)} · 3 acts",
    ]
    assert [len(day.select("li")) for day in first.select(".act-day")] == [19, 1]
    second = soup(await visitor.client.get("/acts?page=2"))
    assert second.select_one(".act-day h2").get_text(" ", strip=True).endswith("· 3 acts")
    row = first.select_one(f"#act-{lifted}")
    assert row.select_one("a.row")["href"] == f"/acts/{lifted}?next=/acts"
    mood = row.select_one(".act-mood")
    assert mood.select_one("[aria-hidden=true]").get_text() == "Mood 2 → 4"
    assert mood.select_one(".visually-hidden").get_text() == "Mood: low before, good after"


async def test_history_is_linked_from_progress(client):
    visitor = Visitor(client)
    await visitor.tap()
    progress = soup(await visitor.client.get("/progress"))
    link = progress.select_one('main section[aria-labelledby=tally-heading] a[href="/acts"]')
    assert link.get_text(strip=True) == "See all your acts"
    history = soup(await visitor.client.get("/acts"))
    downloads = [a.get_text(" ", strip=True) for a in history.select(".act-download a[download]")]
    assert history.select_one("#download-title").get_text() == "Download your acts"
    assert downloads == [
        "As a spreadsheet CSV, for Excel, Numbers or Sheets",
        "As a Lifted file JSON, to keep or to import again",
    ]


async def test_history_costs_the_same_for_ten_acts_and_two_thousand(client, monkeypatch):
    today = datetime.now(UTC).date()
    small = await sign_in_as(client)
    await Act.bulk_create([act(small, today - timedelta(days=n)) for n in range(10)])
    big = await Account.create()
    await Act.bulk_create([act(big, today - timedelta(days=n // 3)) for n in range(2000)])
    rows = count_queries(monkeypatch)
    assert (await client.get("/acts")).status_code == 200
    small_queries = len(rows)
    await sign_in_as(client, big)
    rows.clear()
    page = soup(await client.get("/acts"))
    assert len(page.select(".act-list li")) == 20
    assert page.select_one(".act-day h2").get_text(" ", strip=True).endswith("· 3 acts")
    assert len(rows) == small_queries
    assert max(rows) <= 20  # a page of acts, and the counts of its days
