"""Parsing and checking what readers type into the account forms.

Each parser takes the raw form (a mapping of strings) and returns a ``Parsed``: the cleaned
values, and errors by field in plain words. Values are kept so a form re-renders as typed,
except secrets, which are never echoed back into a page.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from server.accounts.credentials import is_common, normalize_recovery_code
from server.identity.tokens import DEFAULT_LIFETIME, LIFETIMES
from server.parsing import UNSTORABLE, field, storable, text

USERNAME_RE = re.compile(r"[A-Za-z0-9._-]{3,40}")
MIN_PASSPHRASE, MAX_PASSPHRASE = 10, 1000
MAX_TOKEN_NAME = 60
CONFIRM_WORD = "DELETE"


@dataclass
class Parsed:
    values: dict[str, str] = dataclasses.field(default_factory=dict)
    errors: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_username(raw: str) -> tuple[str, str | None]:
    name = raw.strip()
    if not name:
        return name, "Please choose a username."
    if not USERNAME_RE.fullmatch(name):
        return name, (
            "A username is 3 to 40 characters: letters, digits, dots, dashes or underscores."
        )
    return name.lower(), None


def check_new_passphrase(passphrase: str, username: str = "") -> str | None:
    if len(passphrase) < MIN_PASSPHRASE:
        return f"Please use at least {MIN_PASSPHRASE} characters. A few words in a row work well."
    if len(passphrase) > MAX_PASSPHRASE:
        return f"Please keep it under {MAX_PASSPHRASE} characters."
    if not storable(passphrase):
        return f"That passphrase {UNSTORABLE}."
    if is_common(passphrase) or (username and passphrase.strip().lower() == username.lower()):
        return "That one is among the most guessed. Please choose something of your own."
    return None


def parse_claim(form: Mapping[str, Any]) -> Parsed:
    parsed = Parsed()
    username, error = check_username(field(form, "username"))
    parsed.values["username"] = username
    if error:
        parsed.errors["username"] = error
    passphrase = field(form, "passphrase")
    if error := check_new_passphrase(passphrase, username):
        parsed.errors["passphrase"] = error
    elif field(form, "passphrase_again") != passphrase:
        parsed.errors["passphrase_again"] = "The two passphrases are not the same. Please retype."
    parsed.values["passphrase"] = passphrase
    return parsed


def parse_sign_in(form: Mapping[str, Any]) -> Parsed:
    parsed = Parsed()
    parsed.values["username"] = field(form, "username").strip()[:200]
    parsed.values["passphrase"] = field(form, "passphrase")[:MAX_PASSPHRASE]
    if not parsed.values["username"]:
        parsed.errors["username"] = "Please enter your username."
    if not parsed.values["passphrase"]:
        parsed.errors["passphrase"] = "Please enter your passphrase."
    return parsed


def parse_recover(form: Mapping[str, Any]) -> Parsed:
    parsed = Parsed()
    parsed.values["username"] = field(form, "username").strip()[:200]
    if not parsed.values["username"]:
        parsed.errors["username"] = "Please enter your username."
    code = normalize_recovery_code(field(form, "recovery_code")[:200])
    if not code:
        parsed.errors["recovery_code"] = "Please enter the recovery code you saved."
    parsed.values["recovery_code"] = code
    passphrase = field(form, "passphrase")
    if error := check_new_passphrase(passphrase, parsed.values["username"]):
        parsed.errors["passphrase"] = error
    parsed.values["passphrase"] = passphrase
    return parsed


def parse_token_name(form: Mapping[str, Any]) -> Parsed:
    parsed = Parsed()
    name = text(" ".join(field(form, "name").split()), max_length=MAX_TOKEN_NAME, label="the name")
    parsed.values["name"] = name.value[:200]
    if not name.value:
        parsed.errors["name"] = "Please give the token a name, like “my shortcut”."
    elif name.problem:
        parsed.errors["name"] = name.problem
    elif not name.value.isprintable():
        parsed.errors["name"] = f"The name {UNSTORABLE}."
    lifetime = field(form, "expires") or DEFAULT_LIFETIME
    parsed.values["expires"] = lifetime if lifetime in LIFETIMES else DEFAULT_LIFETIME
    if lifetime not in LIFETIMES:
        parsed.errors["expires"] = "Please choose how long the token should work."
    return parsed


def wants_shut_out(form: Mapping[str, Any]) -> bool:
    """ "Sign out everywhere" with "also revoke tokens, the calendar link, notifications"."""
    return field(form, "also_revoke") == "on"


def confirmed_delete(form: Mapping[str, Any]) -> bool:
    return field(form, "confirm").strip().upper() == CONFIRM_WORD


def public(parsed: Parsed) -> dict[str, str]:
    """The values safe to show back in a page: never a passphrase or a recovery code."""
    hidden = {"passphrase", "passphrase_again", "recovery_code"}
    return {k: v for k, v in parsed.values.items() if k not in hidden}
