"""Checking a tap and its details, without a database."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from server.acts import content
from server.acts.forms import ActInputError, parse_act, parse_details, return_to

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def errors_of(data: dict) -> dict:
    with pytest.raises(ActInputError) as info:
        parse_act(data, now=NOW, default_timezone="UTC")
    return info.value.errors


def test_plain_tap_defaults_to_now_and_usual_zone():
    act = parse_act({}, now=NOW, default_timezone="Europe/Berlin")
    assert act.occurred_at == NOW and act.timezone == "Europe/Berlin"
    assert act.local_date == date(2026, 11, 24)
    assert act.held_reason is None and act.details.category is None


def test_late_evening_in_los_angeles_is_that_local_day():
    key = str(uuid.uuid4())
    act = parse_act(
        {"id": key, "timezone": "America/Los_Angeles", "occurred_at": "2026-11-24T07:30:00Z"},
        now=NOW,
        default_timezone="UTC",
    )
    assert str(act.id) == key
    assert act.local_date == date(2026, 11, 23)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"id": "not-a-uuid"}, "id"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "2026-11-24T08:00:00"}, "occurred_at"),
        ({"category": "bribery"}, "category"),
        ({"mood_before": "9"}, "mood_before"),
        ({"mood_after": "-1"}, "mood_after"),
        ({"note": "x" * 501}, "note"),
    ],
)
def test_bad_input_names_the_field(data, field):
    errors = errors_of(data)
    assert list(errors) == [field]
    assert errors[field].endswith(".")


def test_out_of_bounds_time_is_held_not_refused():
    future = parse_act(
        {"occurred_at": (NOW + timedelta(minutes=6)).isoformat()}, now=NOW, default_timezone="UTC"
    )
    assert "future" in future.held_reason
    near = parse_act(
        {"occurred_at": (NOW + timedelta(minutes=4)).isoformat()}, now=NOW, default_timezone="UTC"
    )
    assert near.held_reason is None
    old = parse_act(
        {"occurred_at": (NOW - timedelta(days=31)).isoformat()}, now=NOW, default_timezone="UTC"
    )
    assert "30 days" in old.held_reason


def test_details_are_optional_and_trimmed():
    details = parse_details({"category": "listening", "note": "  called Mum ", "mood_after": "4"})
    assert (details.category, details.note, details.mood_before, details.mood_after) == (
        "listening",
        "called Mum",
        None,
        4,
    )
    assert parse_details({"note": "x" * 500}).note == "x" * 500


def test_confirmation_is_stable_per_act_and_varies_between_acts():
    ids = [uuid.uuid4() for _ in range(40)]
    assert content.confirmation_for(ids[0]) == content.confirmation_for(str(ids[0]))
    assert len({content.confirmation_for(i) for i in ids}) > 3


def test_malformed_content_file_names_the_file(tmp_path):
    bad = tmp_path / "ideas.yaml"
    bad.write_text("- id: x\n  text: [unclosed\n")
    with pytest.raises(content.ContentError, match="ideas.yaml"):
        content.load_ideas(bad, {"helping"}, tmp_path)
    missing_field = tmp_path / "categories.yaml"
    missing_field.write_text("- id: helping\n")
    with pytest.raises(content.ContentError, match="categories.yaml.*label"):
        content.load_categories(missing_field)


def test_every_idea_links_a_known_category_and_article():
    assert len(content.IDEAS) > 10
    for idea in content.IDEAS:
        assert idea.category in content.CATEGORY_LABELS
        assert (content.CONTENT / "articles" / f"{idea.article}.md").is_file()


@pytest.mark.parametrize(
    ("raw", "target"),
    [
        ("/", "/"),
        ("/acts", "/acts"),
        ("/acts?page=1", "/acts"),
        ("/acts?page=3", "/acts?page=3"),
        ("/acts?page=3&saved=1", "/acts?page=3"),  # rebuilt: only the page is kept
        ("/acts?page=007", "/acts?page=7"),
    ],
)
def test_an_acts_page_returns_only_to_today_or_a_page_of_history(raw, target):
    assert return_to(raw) == target


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "https://elsewhere.example/",
        "//elsewhere.example",
        "///elsewhere.example",
        "/\\elsewhere.example",
        "javascript:alert(1)",
        "http:/acts",
        "/account/delete",
        "/acts/../account",
        "/acts/",
        "/progress",
        "/?x=1",
        "/acts?page=0",
        "/acts?page=-2",
        "/acts?page=2&page=3",
        "/acts?page=١٢",  # digits, but not ASCII ones
        "/acts?page=999999",
    ],
)
def test_any_other_next_is_refused(raw):
    assert return_to(raw) is None
