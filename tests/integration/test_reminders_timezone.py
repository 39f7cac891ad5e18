"""The reminder form's time zone: a list of every zone, grouped and readable, that works
without JavaScript, with what is saved chosen; the server still checks what comes back."""

from __future__ import annotations

import pytest

from server.reminders.models import ReminderSettings
from tests.integration.support import chosen_zone, post_form, soup

PAGE = "/settings/reminders"
FORM = {"enabled": "on", "time_of_day": "19:30", "days": ["0", "6"]}


async def test_the_zone_is_a_list_grouped_by_continent_with_readable_names(client):
    html = soup(await client.get(PAGE))
    select = html.select_one("form select#timezone[name=timezone]")
    assert html.select_one('label[for="timezone"]').get_text() == "Time zone"
    groups = [group["label"] for group in select.select("optgroup")]
    assert groups[:2] == ["Africa", "Americas"] and "Europe" in groups and groups[-1] == "Other"
    europe = select.select_one('optgroup[label="Europe"]')
    assert europe.select_one('option[value="Europe/London"]').get_text() == "London"
    americas = select.select_one('optgroup[label="Americas"]')
    knox = americas.select_one('option[value="America/Indiana/Knox"]')
    assert knox.get_text() == "Knox (Indiana)"
    assert americas.select_one('option[value="America/New_York"]').get_text() == "New York"
    # A first visit: the browser's zone is chosen by the script (data-autofill); the list
    # itself starts on UTC, the saved default, and works as it is without JavaScript.
    assert select["data-autofill"] == "true" and chosen_zone(html) == "UTC"
    # The filter box is the script's: hidden until it runs.
    assert html.select_one("input#timezone-filter").has_attr("hidden")


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("Asia/Tokyo", "Asia/Tokyo"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("europe/london", "Europe/London"),  # a hand-typed post: case is forgiven
        ("America/New York", "America/New_York"),
        ("US/Eastern", "US/Eastern"),  # an old alias is still a zone
    ],
)
async def test_a_valid_zone_is_saved_and_shown_chosen(client, sent, kept):
    response = await post_form(client, PAGE, {**FORM, "timezone": sent})
    assert response.status_code == 303
    assert (await ReminderSettings.get()).timezone == kept
    html = soup(await client.get(PAGE))
    assert chosen_zone(html) == kept
    assert html.select_one("#timezone")["data-autofill"] == "false"
    assert len(html.select(f'select#timezone option[value="{kept}"]')) == 1


@pytest.mark.parametrize("sent", ["Mars/Olympus", "", "../../etc/passwd", "Europe/" + "x" * 80])
async def test_an_invalid_zone_is_refused_with_a_plain_message(client, sent):
    response = await post_form(client, PAGE, {**FORM, "timezone": sent})
    assert response.status_code == 422
    html = soup(response)
    assert "don't know that time zone" in html.select_one("#timezone-error").get_text()
    assert html.select_one("#timezone")["aria-invalid"] == "true"
    assert chosen_zone(html) == ""  # "Choose your time zone", and every zone still listed
    assert html.select_one('select#timezone option[value="Europe/London"]')
    assert await ReminderSettings.all().count() == 0
