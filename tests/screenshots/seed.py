"""Making Robin, a signed-in reader with a lived-in account, through the app itself: the claim
form, an imported export, a real tap, articles marked read, reminders saved with their form and
an access token. What the pages show is then what the app made, not rows written behind it.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from tests.e2e.site import csrf_headers, post_form
from tests.screenshots import history

USERNAME = "robin"
PASSPHRASE = "quiet harbour lights at dawn"
TOKEN = re.compile(r"lft_[A-Za-z0-9_-]+")


class SeedError(RuntimeError):
    """A step of making Robin was refused; the screenshots would show the wrong thing."""


def _expect(response, *statuses: int) -> str:
    if response.status not in statuses:
        raise SeedError(f"{response.url} answered {response.status}: {response.text()[:300]}")
    return response.text()


def claim(page, base: str) -> None:
    """The claim form, filled in as a person would."""
    page.goto(base + "/account/claim")
    page.fill("input[name=username]", USERNAME)
    page.fill("input[name=passphrase]", PASSPHRASE)
    page.fill("input[name=passphrase_again]", PASSPHRASE)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    if page.request.get(base + "/account/claim", max_redirects=0).status != 303:
        raise SeedError("claiming the account did not sign this browser in")


def import_history(request, base: str, acts: list[dict]) -> None:
    """Posts the generated export through Your account → Import, and checks every act landed."""
    body = json.dumps(history.export(acts)).encode()
    upload = {"name": "lifted-acts.json", "mimeType": "application/json", "buffer": body}
    sent = request.post(
        base + "/account/import", multipart={"export": upload}, headers=csrf_headers(request, base)
    )
    page = _expect(sent, 200)
    if f"Imported {len(acts)} acts" not in page:
        raise SeedError(f"the import did not take all {len(acts)} acts")


def tap_today(page, base: str) -> None:
    """One real tap on Today: it also tells the server Robin's time zone (from the phone)."""
    page.goto(base + "/")
    page.get_by_role("button", name="I did an act of kindness", exact=True).click()
    page.locator(".tap-confirmation").wait_for()


def read_articles(request, base: str, slugs: list[str]) -> None:
    for slug in slugs:
        _expect(post_form(request, base, f"/articles/{slug}/read", {}), 303)


def save_reminders(request, base: str) -> None:
    """Evenings on weekdays and Sunday, quiet at night, skipped on days already logged; and a
    second, Saturday lunchtime nudge that comes anyway."""
    form = [
        ("enabled", "on"),
        ("time_of_day", "19:30"),
        ("timezone", history.TIMEZONE),
        ("quiet_start", "22:00"),
        ("quiet_end", "07:00"),
        ("skip_if_logged", "on"),
        *[("days", str(day)) for day in (0, 1, 2, 3, 4, 6)],
        ("time_of_day_2", "12:30"),
        ("days_2", "5"),
    ]
    _expect(post_form(request, base, "/settings/reminders", form), 303)


def make_token(request, base: str) -> None:
    """A token for a phone shortcut, used once so its "last used" shows."""
    created = post_form(request, base, "/account/tokens", {"name": "Phone shortcut"})
    token = TOKEN.search(_expect(created, 200))
    if token is None:
        raise SeedError("the new access token was not shown")
    used = request.get(
        base + "/api/v1/progress", headers={"authorization": f"Bearer {token.group(0)}"}
    )
    _expect(used, 200)


def make_robin(page, base: str, read: list[str]) -> list[dict]:
    """Robin's account in this browser context. Returns the acts imported (oldest first)."""
    today = datetime.now(ZoneInfo(history.TIMEZONE)).date()
    acts = history.robins_acts(today)
    request = page.request
    claim(page, base)
    import_history(request, base, acts)
    tap_today(page, base)
    read_articles(request, base, read)
    save_reminders(request, base)
    make_token(request, base)
    return acts
