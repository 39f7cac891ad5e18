"""Reading what clients send, the same way everywhere: whole numbers, clock times, ids, text,
JSON and path parameters. Every form parser, query string reader and path parameter uses these.

Python is generous where a server must not be: ``int()`` and ``uuid.UUID()`` take digits from
any script ("٣", "３"), ``str.isdigit()`` says yes to "²", which ``int()`` then refuses, and the
standard ``json`` module builds strings with lone surrogates that no database can store. Here
only ASCII digits count, text that cannot be stored is refused with a message the reader can
act on, and every length has a bound.
"""

from __future__ import annotations

import re
import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import time
from functools import cache
from typing import Annotated, Any

import msgspec
from litestar.params import PathParameter

# At most 18 digits: more than any page, day or row id, and int() on it stays cheap.
_WHOLE = re.compile(r"-?[0-9]{1,18}")
_CLOCK = re.compile(r"([0-9]{2}):([0-9]{2})(?::[0-9]{2})?")
_UNSHOWABLE = re.compile("[\x00\ud800-\udfff]")
_HEX = "[0-9a-fA-F]"
_UUID = re.compile(rf"{_HEX}{{8}}(-?){_HEX}{{4}}\1{_HEX}{{4}}\1{_HEX}{{4}}\1{_HEX}{{12}}")

# Path parameters. Row ids are 32-bit integer columns. String keys (an act's UUID, an article's
# slug, a calendar feed's name) are URL-safe ASCII and looked up in columns of at most 64
# characters, so anything else (a NUL, which PostgreSQL refuses, or 10,000 characters) names
# nothing. Litestar refuses either before the handler runs, and errors.py answers 404.
MAX_ROW_ID = 2**31 - 1
MAX_PATH_KEY = 64
RowId = Annotated[int, PathParameter(ge=1, le=MAX_ROW_ID)]
PathKey = Annotated[str, PathParameter(max_length=MAX_PATH_KEY, pattern=r"^[A-Za-z0-9._~-]+\Z")]

UNSTORABLE = "contains a character we can't accept"

# Names the zone database lists that are no place a reader lives: "localtime" is a link to the
# server's own /etc/localtime (a reader's zone would silently become the host's), "Factory" a
# placeholder and "posixrules" a template.
NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})


def whole_number(raw: object, *, low: int, high: int) -> int | None:
    """``raw`` as an int when it is ASCII digits (a leading minus allowed) from low to high."""
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    if not _WHOLE.fullmatch(raw):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def clock_time(raw: object) -> time | None:
    """``"07:30"`` -> time(7, 30). Seconds, as <input type=time> may send, are dropped."""
    match = _CLOCK.fullmatch(raw.strip()) if isinstance(raw, str) else None
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2])
    return time(hour, minute) if hour <= 23 and minute <= 59 else None


def uuid_or_none(raw: object) -> uuid.UUID | None:
    """A UUID written in ASCII hex (with or without its dashes); anything else is None."""
    if isinstance(raw, uuid.UUID):
        return raw
    if not isinstance(raw, str) or not _UUID.fullmatch(raw.strip()):
        return None
    return uuid.UUID(raw.strip())


def encodable(value: str) -> bool:
    """False for text holding a lone surrogate: it has no UTF-8 form, so neither a database
    driver nor a page can carry it."""
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def storable(value: str) -> bool:
    """False for text no database here can hold: a NUL (PostgreSQL's text refuses it) or a
    lone surrogate."""
    return "\x00" not in value and encodable(value)


def showable(value: str) -> str:
    """``value`` safe to put back into a page: what can't be stored becomes U+FFFD."""
    if storable(value):
        return value
    return _UNSHOWABLE.sub("\ufffd", value)


@dataclass(frozen=True)
class Text:
    """A text field as read: ``value`` is safe to show again; store it only when ``problem``
    is None (then it is also storable and within its length)."""

    value: str
    problem: str | None = None


def text(raw: object, *, max_length: int, label: str = "this field", strip: bool = True) -> Text:
    """A text field, checked: a missing or non-text value reads as "". ``label`` names the
    field in the message ("the note")."""
    value = raw if isinstance(raw, str) else ""
    if strip:
        value = value.strip()
    if not storable(value):
        return Text(showable(value), f"{label[:1].upper()}{label[1:]} {UNSTORABLE}.")
    if len(value) > max_length:
        return Text(
            value, f"Please keep {label} to {max_length} characters (it has {len(value)} now)."
        )
    return Text(value)


def field(form: Any, name: str) -> str:
    """A form field as text: "" when it is missing, or when a file was sent in its place."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


def fields(form: Any, name: str) -> list[str]:
    """Every value of a repeated form field (checkboxes), files left out."""
    values = form.getall(name, []) if hasattr(form, "getall") else form.get(name, [])
    values = values if isinstance(values, list) else [values]
    return [value for value in values if isinstance(value, str)]


class JSONError(ValueError):
    """A body that is not a JSON document we can use; the message is in plain words."""


_JSON = msgspec.json.Decoder()


def json_document(raw: bytes) -> Any:
    """Decodes JSON strictly: invalid UTF-8, lone surrogates and nesting deeper than the
    interpreter's recursion limit are all refused with JSONError."""
    try:
        return _JSON.decode(raw)
    except RecursionError:
        raise JSONError("The JSON is nested too deeply.") from None
    except msgspec.DecodeError:
        raise JSONError("The request body must be JSON.") from None


@cache
def time_zones() -> frozenset[str]:
    """Every IANA zone a reader may give (taps, the API, imports, reminder settings)."""
    return frozenset(zoneinfo.available_timezones() | {"UTC"}) - NOT_PLACES
