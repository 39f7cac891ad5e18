"""The rules every Lifted cookie follows, in one place.

- On an https deployment a cookie's name carries the ``__Host-`` prefix: the browser then
  accepts it only with ``Secure``, ``Path=/`` and no ``Domain``, so no sibling subdomain and
  no plain-http page can set or overwrite it.
- Always ``HttpOnly`` (scripts never read them) and ``SameSite=Lax``.
- A cookie set before the prefix existed (or before the deployment moved to https) is still
  read under its plain name, and re-issued under the new one, so nobody is signed out, and no
  anonymous reader loses their only key to their acts, by an upgrade.
"""

from __future__ import annotations

import re

from litestar.types import Scope

HOST_PREFIX = "__Host-"
# Answers that carry no cookie at all (not the session's, not the CSRF token's): public,
# cacheable files, and machine endpoints that authenticate otherwise (the API's bearer tokens,
# the calendar feed's secret link). Anchored, so "/x/api/" is an ordinary page.
COOKIELESS = re.compile(
    r"^/(?:static/|api/|reminders/calendar/|s/|sw\.js$|manifest\.webmanifest$|healthz$|readyz$)"
)
MAX_AGE = 400 * 24 * 3600  # the longest lifetime browsers accept for a cookie


def cookie_name(base: str, secure: bool) -> str:
    return HOST_PREFIX + base if secure else base


def set_cookie(name: str, value: str, secure: bool, max_age: int = MAX_AGE) -> bytes:
    """A Set-Cookie header value; an empty ``value`` removes the cookie."""
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    parts.append(f"Max-Age={max_age}" if value else "Max-Age=0")
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode()


def read_cookies(scope: Scope) -> dict[str, str]:
    """Every cookie the request carries (the first of a repeated name wins), read once per
    request: the session lookup and the CSRF check both ask."""
    if (kept := scope.get("lifted_cookies")) is not None:
        return kept
    found: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        if name != b"cookie":
            continue
        for part in value.decode("latin-1").split(";"):
            key, _, val = part.strip().partition("=")
            if key and val:
                found.setdefault(key, val)
    scope["lifted_cookies"] = found  # type: ignore[typeddict-unknown-key]
    return found


def read(scope: Scope, base: str, secure: bool) -> tuple[str | None, bool]:
    """(value, legacy): the cookie under its current name, else under its plain name, in
    which case ``legacy`` says it should be re-issued under the current one."""
    cookies = read_cookies(scope)
    name = cookie_name(base, secure)
    if name in cookies:
        return cookies[name], False
    if secure and base in cookies:
        return cookies[base], True
    return None, False
