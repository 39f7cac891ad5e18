"""Bringing a Lifted JSON export back in: all of a file, or nothing of it.

Every act is checked first, and the acts are then stored in one transaction: a bad act anywhere
means nothing of that file is stored, and the report names each bad act by its number and time
and says why. Importing is idempotent: an act keeps its id, so an act that is already here is
counted as such and nothing is added twice.

Each act goes through the acts feature's own ``parse_act``, and all of them through its
``bulk.record_many``. The one rule relaxed here is the 30-day bound for taps: an import is
history, so old acts count.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from server.acts import bulk
from server.acts.forms import ActInput, ActInputError, parse_act
from server.identity.models import Account
from server.parsing import JSONError, json_document, showable
from server.ratelimit import LIMITS

FIELDS = ("id", "occurred_at", "timezone", "category", "note", "mood_before", "mood_after")
MAX_PROBLEMS_SHOWN = 10
# An export of years of acts is bigger than an ordinary form, so its route allows more.
MAX_BYTES = 5 * 1024 * 1024
# Ten thousand acts is decades of daily kindness; a larger file is not an export of ours, and
# one transaction over it would hold the database for too long.
MAX_ACTS = 10_000
NOT_AN_EXPORT = (
    "That file isn't one Lifted can read back. Please choose the file you downloaded "
    "with “Download your acts”, as a file to bring back into Lifted."
)


def limits_sentence() -> str:
    """What the account page says beside the file input, from the limits that apply."""
    per_hour = LIMITS["import"]["account"][0]
    return (
        f"Files up to {MAX_BYTES // (1024 * 1024)} MB and {MAX_ACTS:,} acts, "
        f"up to {per_hour} times an hour."
    )


class ImportFileError(Exception):
    """The file as a whole is not a Lifted export; the message says so in plain words."""


@dataclass
class ImportReport:
    imported: int = 0
    existing: int = 0
    failed: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def sentence(self) -> str:
        if self.failed:
            acts = "act" if self.failed == 1 else "acts"
            return (
                f"Nothing was imported: {self.failed} {acts} could not be used. Please correct "
                "or remove them, then import the file again."
            )
        parts = [f"Imported {self.imported} {'act' if self.imported == 1 else 'acts'}"]
        parts.append(f"{self.existing} {'was' if self.existing == 1 else 'were'} already here")
        return ", ".join(parts) + "."

    def problem(self, text: str) -> None:
        self.failed += 1
        if len(self.problems) < MAX_PROBLEMS_SHOWN:
            self.problems.append(text)
        elif len(self.problems) == MAX_PROBLEMS_SHOWN:
            self.problems.append("…and more like these.")


def read_export(raw: bytes) -> list:
    try:
        document = json_document(raw.removeprefix(b"\xef\xbb\xbf"))  # a BOM some editors add
    except JSONError:
        raise ImportFileError(NOT_AN_EXPORT) from None
    items = document.get("acts") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise ImportFileError(
            "That file isn't a Lifted download: it has no list of acts. Please choose the "
            "file you downloaded with “Download your acts”, as a file to bring back into Lifted."
        )
    if len(items) > MAX_ACTS:
        raise ImportFileError(
            f"That file holds {len(items):,} acts; one import takes at most {MAX_ACTS:,}. "
            "Please split it into smaller files and import each."
        )
    return items


def _as_strings(item: object) -> dict[str, str] | str:
    """The act's fields as the strings parse_act reads, or a sentence saying what is wrong."""
    if not isinstance(item, dict):
        return "it is not an act."
    values = {}
    for name in FIELDS:
        value = item.get(name)
        if value is None:
            values[name] = ""
        elif isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
            values[name] = str(value)
        else:
            return f"its {name.replace('_', ' ')} is not a text or a number."
    if not values["id"] or not values["occurred_at"]:
        return "it has no id or no time."
    return values


def _check(number: int, item: object, account: Account, now: datetime) -> tuple[str, ActInput]:
    """(label, act) ready to store; raises ActInputError({"act": why}) naming the act."""
    values = _as_strings(item)
    if isinstance(values, str):
        raise ActInputError({"act": f"Act {number}: {values}"})
    label = f"Act {number} ({showable(values['occurred_at'][:40])})"
    try:
        act = parse_act(
            values, now=now, default_timezone=account.timezone, day_end=account.day_ends_at
        )
    except ActInputError as exc:
        raise ActInputError({"act": f"{label}: {' '.join(exc.errors.values())}"}) from None
    if act.held_reason and act.occurred_at > now:
        raise ActInputError({"act": f"{label}: its time is in the future."})
    private = item.get("private", False)  # an act kept private stays private
    if not isinstance(private, bool):
        raise ActInputError({"act": f"{label}: its private mark is not true or false."})
    # Old is fine: it's history.
    return label, dataclasses.replace(act, held_reason=None, private=private)


async def import_acts(account: Account, items: list, now: datetime | None = None) -> ImportReport:
    now = now or datetime.now(UTC)
    report = ImportReport()
    labels, checked = {}, []
    for number, item in enumerate(items, start=1):
        try:
            label, act = _check(number, item, account, now)
        except ActInputError as exc:
            report.problem(exc.errors["act"])
            continue
        labels.setdefault(act.id, label)
        checked.append(act)
    if report.failed:
        return report
    try:
        async with in_transaction():
            stored = await bulk.record_many(account, checked)
    except bulk.Refused as refused:
        report.problem(f"{labels[refused.act_id]}: {refused}")
        return report
    except IntegrityError:  # an act with one of these ids arrived while the file was stored
        report.problem(
            "Some of these acts were added from another device just now. "
            "Please import the file again."
        )
        return report
    report.imported, report.existing = stored.created, stored.existing
    return report
