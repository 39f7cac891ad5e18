"""Today's words that need no database: the greeting by the hour, the date, where a tap may
send a browser back to, and what a dot of the week says."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from server.acts.status import back_to, week
from server.pages.greeting import greeting, words_for


@pytest.mark.parametrize(
    ("hour", "words"),
    [
        (4, "Good evening"),
        (5, "Good morning"),
        (11, "Good morning"),
        (12, "Good afternoon"),
        (17, "Good afternoon"),
        (18, "Good evening"),
        (23, "Good evening"),
        (0, "Good evening"),
    ],
)
def test_the_greeting_follows_the_hour(hour, words):
    assert words_for(hour) == words


def test_the_date_is_the_readers_own():
    # 1 December 2026, 20:30 UTC: already Wednesday morning in Auckland.
    now = datetime(2026, 12, 1, 20, 30, tzinfo=UTC)
    here = greeting(SimpleNamespace(timezone="Europe/London", day_ends_at=0), now)
    assert (here.words, here.date_text, here.iso) == (
        "Good evening",
        "Tuesday 1 December",
        "2026-12-01",
    )
    there = greeting(SimpleNamespace(timezone="Pacific/Auckland", day_ends_at=0), now)
    assert (there.words, there.date_text, there.iso) == (
        "Good morning",
        "Wednesday 2 December",
        "2026-12-02",
    )
    # A reader the server has not seen tap yet, or an unknown zone: UTC until the phone says.
    for account in (
        None,
        SimpleNamespace(timezone="Atlantis/Capital", day_ends_at=0),
        SimpleNamespace(timezone="", day_ends_at=0),
    ):
        assert greeting(account, now).date_text == "Tuesday 1 December"


@pytest.mark.parametrize(
    ("raw", "page"),
    [
        ("/", "/"),
        ("/articles/healing-through-helping", "/articles/healing-through-helping"),
        ("/articles/", None),
        ("/articles/../account", None),
        ("/articles/a/b", None),
        ("/articles/x?next=//evil", None),
        ("//example.org", None),
        ("https://example.org/articles/x", None),
        ("/acts", None),
        ("", None),
        (None, None),
        ("/articles/" + "a" * 101, None),
    ],
)
def test_a_tap_returns_only_to_today_or_an_article(raw, page):
    assert back_to(raw) == page


def test_each_dot_of_the_week_says_its_day():
    days = week(date(2026, 12, 2), (2, 0, 1, 0, 0, 0, 0))  # a Wednesday
    assert [d.letter for d in days] == list("MTWTFSS")
    assert [d.label for d in days[:4]] == [
        "Monday: 2 acts",
        "Tuesday: none logged",
        "Wednesday, today: 1 act",
        "Thursday: still ahead",
    ]
