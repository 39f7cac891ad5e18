"""The time zone picker: every IANA zone, grouped by continent with readable names, and the
parsing of what the form sends back.

A ``<select>`` rather than a text box: it works without JavaScript and can only send a real
zone. reminders.js adds a filter box above it and preselects the browser's own zone.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from zoneinfo import TZPATH

from server.reminders import schedule

# The areas a zone name starts with, in the order the list shows them.
GROUPS = {
    "Africa": "Africa",
    "America": "Americas",
    "Antarctica": "Antarctica",
    "Arctic": "Arctic",
    "Asia": "Asia",
    "Atlantic": "Atlantic Ocean",
    "Australia": "Australia",
    "Europe": "Europe",
    "Indian": "Indian Ocean",
    "Pacific": "Pacific Ocean",
}
OTHER = "Other"


@dataclass(frozen=True)
class Zone:
    value: str  # "America/Argentina/Buenos_Aires"
    label: str  # "Buenos Aires (Argentina)"


def label(name: str) -> str:
    """A zone's name as a person reads it: the city, with the state or country in brackets
    when the name has one ("America/Indiana/Knox" -> "Knox (Indiana)")."""
    parts = [part.replace("_", " ") for part in name.split("/")]
    if len(parts) == 1:
        return parts[0]
    city = parts[-1]
    middle = parts[1:-1]
    return f"{city} ({', '.join(middle)})" if middle else city


@cache
def grouped() -> tuple[tuple[str, tuple[Zone, ...]], ...]:
    """(group label, zones sorted by label) for every zone this server knows, UTC last."""
    groups: dict[str, list[Zone]] = {name: [] for name in [*GROUPS.values(), OTHER]}
    aliases = _aliases()
    for name in schedule.known_timezones() - aliases:
        area, _, rest = name.partition("/")
        if area in GROUPS and rest:
            groups[GROUPS[area]].append(Zone(name, label(name)))
    # The rest stay accepted but unlisted: old names (US/Eastern, Asia/Calcutta) of places
    # listed already, and the fixed offsets, which read backwards (Etc/GMT+5 is UTC-5).
    groups[OTHER] = [Zone("UTC", "UTC (no time zone)")]
    return tuple(
        (group, tuple(sorted(zones, key=lambda z: z.label.casefold())))
        for group, zones in groups.items()
        if zones
    )


def _aliases() -> frozenset[str]:
    """Names that are only another name for a zone ("America/Buenos_Aires" for
    "America/Argentina/Buenos_Aires"), from the links in the time zone database's own text
    form (tzdata.zi: "L target alias"), where the host has it; else none, and the list
    shows both names."""
    folders = [Path(folder) for folder in TZPATH]
    with contextlib.suppress(ModuleNotFoundError):  # the tzdata package, where zoneinfo uses it
        folders.append(Path(str(resources.files("tzdata"))) / "zoneinfo")
    for folder in folders:
        path = folder / "tzdata.zi"
        if path.is_file():
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            return frozenset(
                line.split()[2]
                for line in lines
                if line.startswith("L ") and len(line.split()) == 3
            )
    return frozenset()


def choices(current: str) -> tuple[tuple[str, tuple[Zone, ...]], ...]:
    """The picker's groups, with ``current`` added when it isn't listed (an alias saved
    earlier, "US/Eastern"), so the form always shows what is saved."""
    listed = {zone.value for _, zones in grouped() for zone in zones}
    if not current or current in listed or current not in schedule.known_timezones():
        return grouped()
    return (("Your current zone", (Zone(current, label(current)),)), *grouped())


def parse(raw: str | None) -> str | None:
    """The zone a form sent, as its IANA name, or None when it is none. Case and spaces for
    underscores are forgiven ("europe/london", "America/New York")."""
    text = (raw or "").strip()[:64]
    if text in schedule.known_timezones():
        return text
    wanted = text.replace(" ", "_").casefold()
    return _folded().get(wanted)


@cache
def _folded() -> dict[str, str]:
    return {name.casefold(): name for name in schedule.known_timezones()}
