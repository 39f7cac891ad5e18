"""The parsing floor every form, query string and path parameter goes through: only ASCII
digits count, text that can't be stored is refused with a message, and lengths are bounded."""

from __future__ import annotations

import uuid
from datetime import time

import pytest

from server.parsing import (
    JSONError,
    clock_time,
    field,
    fields,
    json_document,
    showable,
    storable,
    text,
    uuid_or_none,
    whole_number,
)

NON_ASCII_DIGITS = ["²", "³", "٣", "３", "1²", "٢٢", "１２", "𝟙"]


def test_whole_numbers_are_ascii_digits_within_bounds():
    assert whole_number("7", low=1, high=9) == 7
    assert whole_number(" 7 ", low=1, high=9) == 7
    assert whole_number("-3", low=-5, high=0) == -3
    for bad in [*NON_ASCII_DIGITS, "", " ", "1e3", "0x1", "1_000", "+1", "1.0", "--1", "1\n2"]:
        assert whole_number(bad, low=-(10**9), high=10**9) is None, bad
    assert whole_number("10", low=1, high=9) is None
    assert whole_number("9" * 19, low=0, high=10**30) is None  # more digits than any id
    assert whole_number(None, low=0, high=9) is None
    assert whole_number(5, low=0, high=9) is None  # only text is read


def test_clock_times_are_ascii_hh_mm():
    assert clock_time("07:05") == time(7, 5)
    assert clock_time("07:05:00") == time(7, 5)
    assert clock_time(" 23:59 ") == time(23, 59)
    for bad in ("7:05", "24:00", "12:60", "noon", "", "12:3a", "1²:00", "٠٧:٠٥", "０７:０５"):
        assert clock_time(bad) is None, bad
    assert clock_time(None) is None


def test_uuids_are_ascii_hex():
    value = uuid.uuid4()
    assert uuid_or_none(str(value)) == value
    assert uuid_or_none(str(value).upper()) == value
    assert uuid_or_none(value.hex) == value
    assert uuid_or_none(value) == value
    for bad in ["٣" * 32, "３" * 32, "x" * 10_000, "", "{" + str(value) + "}", str(value)[:-1]]:
        assert uuid_or_none(bad) is None, bad[:40]
    assert uuid_or_none(str(value).replace("-", "_")) is None


def test_text_refuses_nul_and_lone_surrogates_and_bounds_length():
    assert text("  hello ", max_length=10, label="the note") == text("hello", max_length=10)
    assert text("hello", max_length=10).problem is None
    too_long = text("x" * 11, max_length=10, label="the note")
    assert too_long.problem == "Please keep the note to 10 characters (it has 11 now)."
    for bad in ("a\x00b", "a\ud800b", "\udfff"):
        checked = text(bad, max_length=10, label="the note")
        assert checked.problem == "The note contains a character we can't accept."
        assert storable(checked.value.replace("\ufffd", "")) and "\ud800" not in checked.value
    assert text(None, max_length=10) == text("", max_length=10)
    assert not storable("\x00") and not storable("\ud800") and storable("😀 é")
    assert showable("a\ud800\x00") == "a\ufffd\ufffd"


def test_form_fields_are_text_or_nothing():
    class UploadLike:
        pass

    form = {"name": "Robin", "file": UploadLike(), "days": ["1", UploadLike(), "3"]}
    assert field(form, "name") == "Robin"
    assert field(form, "file") == "" and field(form, "missing") == ""
    assert fields(form, "days") == ["1", "3"]
    assert fields(form, "name") == ["Robin"]


def test_json_documents_are_strict():
    assert json_document(b'{"a": [1, "\\u00e9"]}') == {"a": [1, "é"]}
    cases = {
        b"[" * 5000 + b"]" * 5000: "nested too deeply",
        b'{"a": "\\ud800"}': "must be JSON",
        b'{"a": "\xff"}': "must be JSON",
        b"{nope": "must be JSON",
    }
    for raw, words in cases.items():
        with pytest.raises(JSONError, match=words):
            json_document(raw)
