"""Bringing a Lifted JSON export back in. Importing is idempotent: an act keeps its id, so an
act that is already here is counted as such and nothing is added twice.

Each act goes through the acts feature's own ``parse_act`` and ``record_act``. The one rule
relaxed here is the 30-day bound for taps: an import is history, so old acts count.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from server.acts import service as acts
from server.acts.forms import ActInputError, parse_act
from server.identity.models import Account
from server.ratelimit import LIMITS

FIELDS = ("id", "occurred_at", "timezone", "category", "note", "mood_before", "mood_after")
MAX_PROBLEMS_SHOWN = 10
# An export of years of acts is bigger than an ordinary form, so its route allows more.
MAX_BYTES = 5 * 1024 * 1024


def limits_sentence() -> str:
    """What the account page says beside the file input, from the limits that apply."""
    per_hour = LIMITS["import"]["account"][0]
    return f"Files up to {MAX_BYTES // (1024 * 1024)} MB, up to {per_hour} times an hour."


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
        parts = [f"Imported {self.imported} {'act' if self.imported == 1 else 'acts'}"]
        parts.append(f"{self.existing} {'was' if self.existing == 1 else 'were'} already here")
        text = ", ".join(parts)
        if self.failed:
            text += f", {self.failed} could not be read"
            text += ":" if self.problems else "."
        else:
            text += "."
        return text

    def problem(self, text: str) -> None:
        self.failed += 1
        if len(self.problems) < MAX_PROBLEMS_SHOWN:
            self.problems.append(text)
        elif len(self.problems) == MAX_PROBLEMS_SHOWN:
            self.problems.append("…and more like these.")


def read_export(raw: bytes) -> list:
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ImportFileError(
            "That file isn't one Lifted can read back. Please choose the file you downloaded "
            "with “Download your acts”, as a file to bring back into Lifted."
        ) from None
    items = document.get("acts") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise ImportFileError(
            "That file isn't a Lifted download: it has no list of acts. Please choose the "
            "file you downloaded with “Download your acts”, as a file to bring back into Lifted."
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


async def import_acts(account: Account, items: list, now: datetime | None = None) -> ImportReport:
    now = now or datetime.now(UTC)
    report = ImportReport()
    for number, item in enumerate(items, start=1):
        values = _as_strings(item)
        if isinstance(values, str):
            report.problem(f"Act {number}: {values}")
            continue
        label = f"Act {number} ({values['occurred_at'][:25]})"
        try:
            act = parse_act(values, now=now, default_timezone=account.timezone)
        except ActInputError as exc:
            report.problem(f"{label}: {' '.join(exc.errors.values())}")
            continue
        if act.held_reason and act.occurred_at > now:
            report.problem(f"{label}: its time is in the future.")
            continue
        if act.held_reason:
            act = dataclasses.replace(act, held_reason=None)  # old is fine: it's history
        try:
            _, created = await acts.record_act(account, act)
        except acts.ActIdTaken:
            report.problem(f"{label}: its id belongs to an act in another account.")
            continue
        except acts.ActHeld as held:
            report.problem(f"{label}: {held.held.reason}")
            continue
        if created:
            report.imported += 1
        else:
            report.existing += 1
    return report
