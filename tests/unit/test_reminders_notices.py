"""The notices the reminder settings page shows after a redirect, read from its query string."""

from __future__ import annotations

import pytest

from server.reminders.views import _notices


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, []),
        ({"saved": "1"}, ["Saved."]),
        ({"device": "on"}, ["Notifications are on for this device."]),
        ({"device": "off"}, ["Notifications are off for this device."]),
        ({"device": "maybe"}, []),
        ({"removed": "1"}, ["That device won't get reminders any more."]),
        ({"calendar": "new"}, ["Here is your calendar link. Any earlier link no longer works."]),
        (
            {"calendar": "off"},
            ["The calendar link is turned off. Calendars using it will stop updating."],
        ),
        ({"test": "1-2"}, ["A test reminder went to 1 of 2 devices."]),
        (
            {"test": "0-0"},
            [
                "There are no devices with notifications turned on yet. "
                "Turn them on below, then try again."
            ],
        ),
        ({"test": "x-2"}, []),
        (
            {"calendar": "new", "saved": "1"},
            ["Saved.", "Here is your calendar link. Any earlier link no longer works."],
        ),
    ],
)
def test_each_redirect_shows_its_own_words(query, expected):
    assert _notices(query) == expected
