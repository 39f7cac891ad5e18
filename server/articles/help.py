"""The "Need help now?" page: crisis lines by region from content/help.md, the reader's own
region first.

The file's front matter lists regions, each with its emergency number, crisis lines, and the
time zones and country codes that place a reader there; its Markdown body is the rest of the
page ("While you wait"). It is read and checked once at start, like the articles: a missing or
malformed piece stops start-up with a message naming the file (``ContentError``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import available_timezones

from server.content import ContentError, text_fields

DIAL = re.compile(r"^\+?[0-9]{2,15}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
ZONE = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]*)*$")
# Zones that say nothing about where a reader is: the app's default, and the Etc/ offsets.
NOWHERE = ("UTC", "Etc/", "GMT", "Universal", "Zulu")


@dataclass(frozen=True)
class Line:
    name: str
    number: str  # as people write it: "116 123"
    dial: str  # what the phone dials: "116123"
    call: bool
    text: bool
    hours: str

    @property
    def actions(self) -> list[tuple[str, str]]:
        """("Call", "tel:116123") and, for a line that takes texts, ("Text", "sms:...")."""
        found = [("Call", f"tel:{self.dial}")] if self.call else []
        return found + ([("Text", f"sms:{self.dial}")] if self.text else [])


@dataclass(frozen=True)
class Region:
    name: str
    emergency: str
    emergency_dial: str
    time_zones: tuple[str, ...]
    countries: tuple[str, ...]
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Elsewhere:
    text: str
    link: str
    label: str


@dataclass(frozen=True)
class Guide:
    """What one reader's help page shows: their region (or None when it isn't known), the
    others, and every region's emergency number for a reader whose region isn't known."""

    mine: Region | None
    others: tuple[Region, ...]

    @property
    def emergency(self) -> list[tuple[str, str, str]]:
        """(regions, number, dial): the reader's own, or every number once, naming regions."""
        if self.mine:
            return [(self.mine.name, self.mine.emergency, self.mine.emergency_dial)]
        grouped: dict[str, list[Region]] = {}
        for region in self.others:
            grouped.setdefault(region.emergency_dial, []).append(region)
        return [
            (" & ".join(r.name for r in regions), regions[0].emergency, dial)
            for dial, regions in grouped.items()
        ]


@dataclass(frozen=True)
class HelpPage:
    title: str
    intro: str
    html: str
    regions: tuple[Region, ...]
    elsewhere: Elsewhere

    def region_for(self, timezone: str | None, accept_language: str | None) -> Region | None:
        """The reader's region: from the time zone Lifted keeps for them, or else from the
        first of their browser's languages that names a country in the file."""
        return self._by_zone(timezone) or self._by_language(accept_language or "")

    def guide(self, timezone: str | None, accept_language: str | None) -> Guide:
        mine = self.region_for(timezone, accept_language)
        return Guide(mine, tuple(r for r in self.regions if r is not mine))

    def _by_zone(self, timezone: str | None) -> Region | None:
        if not timezone or timezone.startswith(NOWHERE):
            return None
        best, length = None, 0
        for region in self.regions:
            for zone in region.time_zones:
                if _zone_matches(timezone, zone) and len(zone) > length:
                    best, length = region, len(zone)
        return best

    def _by_language(self, header: str) -> Region | None:
        for country in countries_in(header):
            for region in self.regions:
                if country in region.countries:
                    return region
        return None


def _zone_matches(timezone: str, entry: str) -> bool:
    return timezone.startswith(entry) if entry.endswith("/") else timezone == entry


def countries_in(header: str) -> list[str]:
    """The country of each language in an Accept-Language header, most preferred first:
    "en-GB,en;q=0.9,fr-FR;q=0.8" -> ["GB", "FR"]."""
    ranked = []
    for position, item in enumerate(header.split(",")[:20]):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        subtags = tag.strip().split("-")
        # The region is the first two-letter subtag after the language ("zh-Hant-TW" -> TW).
        country = next((s.upper() for s in subtags[1:] if len(s) == 2 and s.isalpha()), None)
        if country and quality > 0:
            ranked.append((-quality, position, country))
    return [country for _, _, country in sorted(ranked)]


# ---- Reading and checking the file ------------------------------------------------------


def _flag(path: Path, item: dict, name: str, where: str, default: bool) -> bool:
    value = item.get(name, default)
    if not isinstance(value, bool):
        raise ContentError(path, f"{where}: '{name}' must be true or false")
    return value


def _dial(path: Path, number: str, item: dict, where: str) -> str:
    dial = item.get("dial", re.sub(r"[\s\-.()]", "", number))
    if not isinstance(dial, str) or not DIAL.match(dial):
        raise ContentError(
            path, f"{where}: {number!r} is not a number a phone can dial; add 'dial: \"digits\"'"
        )
    return dial


def _line(path: Path, item, where: str) -> Line:
    fields = text_fields(path, item, ("name", "number"), where)
    call = _flag(path, item, "call", where, True)
    text = _flag(path, item, "text", where, False)
    if not call and not text:
        raise ContentError(path, f"{where}: a line must take calls or texts")
    hours = item.get("hours", "")
    if not isinstance(hours, str):
        raise ContentError(path, f"{where}: 'hours' must be a text")
    dial = _dial(path, fields["number"], item, where)
    return Line(fields["name"], fields["number"], dial, call, text, hours.strip())


def _codes(path: Path, item: dict, name: str, where: str, pattern: re.Pattern) -> tuple:
    values = item.get(name)
    if not isinstance(values, list) or not values:
        raise ContentError(path, f"{where}: '{name}' must be a non-empty list")
    known = available_timezones() if name == "time_zones" else None
    for value in values:
        if not isinstance(value, str) or not pattern.match(value):
            raise ContentError(path, f"{where}: {value!r} in '{name}' is malformed")
        # Without time zone data on the host nothing can be checked; the format still is.
        if known and not any(_zone_matches(zone, value) for zone in known):
            raise ContentError(path, f"{where}: {value!r} is not a time zone, nor starts any")
    return tuple(values)


def _region(path: Path, item, number: int) -> Region:
    where = f"region {number}"
    fields = text_fields(path, item, ("name", "emergency"), where)
    where = f"region {number} ({fields['name']})"
    lines = item.get("lines", [])
    if not isinstance(lines, list):
        raise ContentError(path, f"{where}: 'lines' must be a list")
    return Region(
        name=fields["name"],
        emergency=fields["emergency"],
        emergency_dial=_dial(path, fields["emergency"], {}, where),
        time_zones=_codes(path, item, "time_zones", where, ZONE),
        countries=_codes(path, item, "countries", where, COUNTRY),
        lines=tuple(_line(path, line, f"{where}, line {i}") for i, line in enumerate(lines, 1)),
    )


def _no_overlaps(path: Path, regions: list[Region]) -> None:
    """A time zone or a country belongs to one region, or the order would be a coin toss."""
    seen: dict[tuple[str, str], str] = {}
    for region in regions:
        keys = [("time_zones", z) for z in region.time_zones]
        for key in [*keys, *(("countries", c) for c in region.countries)]:
            if key in seen:
                raise ContentError(
                    path, f"{key[1]!r} is in the {key[0]} of both {seen[key]} and {region.name}"
                )
            seen[key] = region.name


def parse_help(path: Path, meta: dict, html: str) -> HelpPage:
    """The help page from the front matter (``meta``) and the rendered body (``html``)."""
    fields = text_fields(path, meta, ("title", "intro"), "front matter")
    raw = meta.get("regions")
    if not isinstance(raw, list) or not raw:
        raise ContentError(path, "front matter needs 'regions', a list of regions")
    regions = [_region(path, item, number) for number, item in enumerate(raw, 1)]
    _no_overlaps(path, regions)
    elsewhere = text_fields(path, meta.get("elsewhere"), ("text", "link", "label"), "elsewhere")
    if not elsewhere["link"].startswith("https://"):
        raise ContentError(path, "elsewhere: 'link' must be an https:// address")
    return HelpPage(
        title=fields["title"],
        intro=fields["intro"],
        html=html,
        regions=tuple(regions),
        elsewhere=Elsewhere(**elsewhere),
    )
