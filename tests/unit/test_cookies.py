"""Cookie rules: names, flags, the paths that carry none, and reading an older name."""

from __future__ import annotations

import pytest

from server.identity.cookies import COOKIELESS, cookie_name, read, set_cookie


def test_https_names_carry_the_host_prefix_and_its_required_flags():
    assert cookie_name("lifted_session", secure=False) == "lifted_session"
    assert cookie_name("lifted_session", secure=True) == "__Host-lifted_session"
    header = set_cookie("__Host-lifted_session", "abc", secure=True).decode()
    assert header.startswith("__Host-lifted_session=abc; Path=/;")
    assert "Secure" in header and "HttpOnly" in header and "Domain" not in header
    assert "Max-Age=0" in set_cookie("x", "", secure=True).decode()


@pytest.mark.parametrize(
    "path",
    ["/static/app.1234567890.css", "/sw.js", "/manifest.webmanifest", "/healthz",
     "/api/v1/acts", "/reminders/calendar/abc.ics"],
)  # fmt: skip
def test_public_files_and_machine_endpoints_carry_no_cookie(path):
    assert COOKIELESS.match(path)


@pytest.mark.parametrize(
    "path",
    ["/", "/acts", "/articles/api/", "/x/static/y", "/sw.json", "/sw.js/more", "/healthz2",
     "/settings/reminders"],
)  # fmt: skip
def test_pages_are_not_mistaken_for_them(path):
    assert not COOKIELESS.match(path)


def scope(cookie: str) -> dict:
    return {"headers": [(b"cookie", cookie.encode())]}


def test_an_older_plain_name_is_read_and_marked_for_renaming_on_https():
    assert read(scope("lifted_session=old"), "lifted_session", secure=True) == ("old", True)
    both = scope("lifted_session=old; __Host-lifted_session=new")
    assert read(both, "lifted_session", secure=True) == ("new", False)
    assert read(scope("lifted_session=a"), "lifted_session", secure=False) == ("a", False)
    assert read(scope("other=1"), "lifted_session", secure=True) == (None, False)
