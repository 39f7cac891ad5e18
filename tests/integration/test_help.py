"""Need help now?: every line a button that calls or texts, the reader's own region first (by
the time zone Lifted keeps for them, or else their browser's languages), read from
content/help.md, which stops start-up when it is malformed."""

from __future__ import annotations

import re
import shutil

import pytest

from server.app import create_app
from server.content import ContentError
from server.settings import ROOT
from tests.integration.conftest import make_settings
from tests.integration.support import sign_in_as, soup

DIALS = re.compile(r"^(tel|sms):\+?[0-9]+$")


def buttons(node) -> list[tuple[str, str]]:
    """(href, words) of each crisis-line button in ``node`` (a page: its main), in order."""
    node = node.select_one("main") or node
    return [(a["href"], a.get_text(" · ", strip=True)) for a in node.select("a.help-line")]


def danger(html) -> list[tuple[str, str]]:
    """The buttons of the page's first section: the emergency numbers."""
    return buttons(html.select_one("main section"))


def section(html, title: str):
    heading = next(h for h in html.select("main h2") if h.get_text(strip=True) == title)
    return heading.find_parent("section")


async def help_page(client, languages: str | None = None):
    headers = {"Accept-Language": languages} if languages else {}
    response = await client.get("/help", headers=headers)
    assert response.status_code == 200
    return soup(response)


async def test_the_time_zone_lifted_keeps_puts_the_readers_region_first(client):
    await sign_in_as(client, timezone="Europe/London")
    html = await help_page(client, "en-US,en;q=0.9")  # the time zone wins over the browser
    assert danger(html) == [("tel:999", "UK & Ireland · Emergency · Call 999")]
    talk = section(html, "Talk to someone now")
    assert [href for href, _ in buttons(talk)] == ["tel:116123"]
    assert buttons(talk)[0][1].startswith("UK & Ireland · Samaritans · Call 116 123")
    others = section(html, "Other regions")
    assert [h.get_text() for h in others.select("h3")] == [
        "US",
        "Canada",
        "Australia",
        "European Union",
    ]
    assert all("soft" in a["class"] for a in others.select("a.help-line"))


@pytest.mark.parametrize(
    ("timezone", "first_line"),
    [
        ("Australia/Sydney", "tel:131114"),
        ("America/Toronto", "tel:988"),
        ("Europe/Dublin", "tel:116123"),
    ],
)
async def test_each_region_by_time_zone(client, timezone, first_line):
    await sign_in_as(client, timezone=timezone)
    talk = section(await help_page(client), "Talk to someone now")
    assert buttons(talk)[0][0] == first_line


@pytest.mark.parametrize(
    ("languages", "emergency", "first_line"),
    [
        ("en-GB,en;q=0.9", "tel:999", "UK & Ireland · Samaritans · Call 116 123"),
        ("en-AU", "tel:000", "Australia · Lifeline · Call 13 11 14"),
        ("en-US,en;q=0.9", "tel:911", "US · 988 Suicide & Crisis Lifeline · Call 988"),
    ],
)
async def test_without_a_time_zone_the_browsers_languages_choose(
    client, languages, emergency, first_line
):
    # A new account's zone is UTC, which says nothing about where the reader is.
    await sign_in_as(client)
    html = await help_page(client, languages)
    assert buttons(html)[0][0] == emergency
    talk = section(html, "Talk to someone now")
    assert buttons(talk)[0][1].startswith(first_line)
    client.cookies.clear()  # and a reader with no account at all
    assert buttons(await help_page(client, languages))[0][0] == emergency


async def test_lines_call_and_text_with_the_region_named(client):
    html = await help_page(client, "en-US")
    found = buttons(html)
    assert all(DIALS.match(href) for href, _ in found), found
    talk = dict(buttons(section(html, "Talk to someone now")))
    assert talk["tel:988"].startswith("US · 988 Suicide & Crisis Lifeline · Call 988")
    assert talk["sms:988"].startswith("US · 988 Suicide & Crisis Lifeline · Text 988")
    assert talk["tel:+18006624357"].startswith("US · SAMHSA National Helpline")
    others = dict(buttons(section(html, "Other regions")))
    assert others["sms:988"].startswith("Canada · 9-8-8 Suicide Crisis Helpline · Text 9-8-8")
    assert "tel:131114" in others and "tel:112" in others and "tel:999" in others
    # Everywhere else: a plain link, the reader's own choice to follow.
    link = html.select_one('main a[href="https://findahelpline.com"]')
    assert link.get_text() == "findahelpline.com" and "help-line" not in link.get("class", [])


async def test_not_knowing_the_region_shows_every_emergency_number_and_line(client):
    html = await help_page(client)
    assert [href for href, _ in danger(html)] == ["tel:911", "tel:999", "tel:000", "tel:112"]
    assert buttons(html)[0][1] == "US & Canada · Emergency · Call 911"
    talk = [href for href, _ in buttons(section(html, "Talk to someone now"))]
    us, uk, canada = (
        ["tel:988", "sms:988", "tel:+18006624357"],
        ["tel:116123"],
        ["tel:988", "sms:988"],
    )
    assert talk == [*us, *uk, *canada, "tel:131114"]
    assert not any(h.get_text() == "Other regions" for h in html.select("h2"))
    text = html.select_one("main").get_text(" ")
    assert "While you wait" in text and "not an emergency service" in text


async def test_the_offline_page_offers_the_readers_own_lines(client):
    await sign_in_as(client, timezone="Australia/Melbourne")
    html = soup(await client.get("/offline"))
    assert [href for href, _ in buttons(html)] == ["tel:000", "tel:131114"]


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("        number: 13 11 14\n", "", "region 4 (Australia), line 1 needs a text 'number'"),
        ("regions:\n", "areas:\n", "front matter needs 'regions', a list of regions"),
    ],
)
async def test_a_malformed_help_file_stops_start_up_naming_it(
    database_url, data_dir, tmp_path, old, new, problem
):
    copy = tmp_path / "content"
    shutil.copytree(ROOT / "content", copy)
    path = copy / "help.md"
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(ContentError) as caught:
        create_app(make_settings(database_url, data_dir, LIFTED_CONTENT_DIR=str(copy)))
    assert str(caught.value) == f"{path}: {problem}"
