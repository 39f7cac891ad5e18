"""content/help.md: its regions and lines are read and checked at start, and each reader's own
region comes first (by the time zone Lifted keeps, or else the browser's languages)."""

from __future__ import annotations

import shutil

import pytest

from server.articles.content import load_help
from server.articles.help import countries_in
from server.content import ContentError
from server.settings import ROOT

HELP = load_help(ROOT / "content" / "help.md")


def region_of(timezone=None, languages=None) -> str | None:
    region = HELP.region_for(timezone, languages)
    return region.name if region else None


def test_every_line_and_number_the_page_had_is_kept():
    numbers = {
        region.name: [(line.number, [verb for verb, _ in line.actions]) for line in region.lines]
        for region in HELP.regions
    }
    assert numbers["US"] == [("988", ["Call", "Text"]), ("1-800-662-4357", ["Call"])]
    assert numbers["UK & Ireland"] == [("116 123", ["Call"])]
    assert numbers["Canada"] == [("9-8-8", ["Call", "Text"])]
    assert numbers["Australia"] == [("13 11 14", ["Call"])]
    emergency = {region.name: region.emergency for region in HELP.regions}
    assert emergency == {
        "US": "911",
        "UK & Ireland": "999",
        "Canada": "911",
        "Australia": "000",
        "European Union": "112",
    }
    assert HELP.elsewhere.link == "https://findahelpline.com"
    assert "While you wait" in HELP.html and "not an emergency service" in HELP.html


def test_lines_call_and_text_the_digits():
    us = HELP.regions[0]
    assert us.lines[0].actions == [("Call", "tel:988"), ("Text", "sms:988")]
    assert us.lines[1].actions == [("Call", "tel:+18006624357")]
    canada = next(r for r in HELP.regions if r.name == "Canada")
    assert canada.lines[0].actions == [("Call", "tel:988"), ("Text", "sms:988")]
    assert canada.emergency_dial == "911"


@pytest.mark.parametrize(
    ("timezone", "region"),
    [
        ("Europe/London", "UK & Ireland"),
        ("Europe/Dublin", "UK & Ireland"),
        ("America/New_York", "US"),
        ("America/Indiana/Knox", "US"),
        ("Pacific/Honolulu", "US"),
        ("America/Toronto", "Canada"),
        ("Australia/Sydney", "Australia"),
        ("Australia/Perth", "Australia"),
        ("Europe/Paris", "European Union"),
        ("Atlantic/Canary", "European Union"),
    ],
)
def test_the_time_zone_names_the_region(timezone, region):
    assert region_of(timezone, "en-US") == region


@pytest.mark.parametrize(
    ("languages", "region"),
    [
        ("en-GB,en;q=0.9", "UK & Ireland"),
        ("en-AU", "Australia"),
        ("en-US,en;q=0.9", "US"),
        ("fr-CA,fr;q=0.9,en-US;q=0.8", "Canada"),
        ("en;q=0.9,en-IE;q=0.8", "UK & Ireland"),
        ("de-DE", "European Union"),
        ("en-US;q=0.5,en-GB", "UK & Ireland"),  # the most preferred, not the first written
        ("ja-JP,ja;q=0.9", None),
        ("en", None),
        ("", None),
    ],
)
def test_without_a_telling_time_zone_the_languages_name_the_region(languages, region):
    # UTC is every new account's zone, and a zone the file doesn't list says nothing either.
    assert region_of("UTC", languages) == region
    assert region_of("Asia/Tokyo", languages) == region
    assert region_of(None, languages) == region


def test_the_time_zone_wins_over_the_languages():
    assert region_of("Europe/London", "en-US,en;q=0.9") == "UK & Ireland"
    assert region_of("America/Chicago", "en-GB") == "US"


def test_accept_language_parsing():
    assert countries_in("en-GB,en;q=0.9,fr-FR;q=0.8") == ["GB", "FR"]
    assert countries_in("zh-Hant-TW, es-419;q=0.7, pt-br;q=0.8") == ["TW", "BR"]
    assert countries_in("en-US;q=0, en-AU;q=nonsense, en-NZ") == ["NZ"]
    assert countries_in("*") == []


def test_guide_puts_the_readers_region_first_and_keeps_the_others_in_order():
    guide = HELP.guide("Europe/London", None)
    assert guide.mine.name == "UK & Ireland"
    assert [r.name for r in guide.others] == ["US", "Canada", "Australia", "European Union"]
    assert guide.emergency == [("UK & Ireland", "999", "999")]
    unknown = HELP.guide(None, None)
    assert unknown.mine is None and len(unknown.others) == len(HELP.regions)
    # Not knowing the region, every emergency number shows once, naming where it works.
    assert unknown.emergency == [
        ("US & Canada", "911", "911"),
        ("UK & Ireland", "999", "999"),
        ("Australia", "000", "000"),
        ("European Union", "112", "112"),
    ]


BREAKAGES = [
    ("title: Need help now?\n", "", "needs a text 'title'"),
    ("regions:\n", "regionz:\n", "needs 'regions'"),
    ('        number: "988"\n', "", "region 1 (US), line 1 needs a text 'number'"),
    ("        number: 116 123\n", "        number: call us\n", "not a number a phone can dial"),
    ("        text: true\n", "        text: yes please\n", "'text' must be true or false"),
    ('    emergency: "999"\n', "", "region 2 needs a text 'emergency'"),
    ("    countries: [AU]\n", "    countries: [Australia]\n", "'Australia' in 'countries'"),
    ("    time_zones: [Australia/]\n", "    time_zones: [Austrlia/]\n", "not a time zone"),
    ("    countries: [AU]\n", "    countries: [AU, GB]\n", "'GB' is in the countries of both"),
    ("  link: https://findahelpline.com\n", "  link: findahelpline.com\n", "https://"),
    ("## While you wait", "## While you wait\n\n  bad: [yaml", None),  # the body is Markdown
    ("title: Need help now?\n", "title: [Need help now?\n", "not valid YAML"),
]


@pytest.mark.parametrize(
    ("old", "new", "problem"), BREAKAGES, ids=[b[2] or "ok" for b in BREAKAGES]
)
def test_a_malformed_help_file_names_itself_and_the_problem(tmp_path, old, new, problem):
    path = tmp_path / "help.md"
    shutil.copy(ROOT / "content" / "help.md", path)
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    if problem is None:
        load_help(path)
        return
    with pytest.raises(ContentError) as caught:
        load_help(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert problem in str(caught.value)
