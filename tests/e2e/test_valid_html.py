"""Every page is valid HTML: the Nu HTML Checker (vnu, the W3C's) finds no error on any page
the crawl reaches, for a new reader and for a signed-in reader with some history, nor on the
pages only a form's answer shows (a recovery code, a new access token, a form sent back with
its errors, a notice after a redirect).

Invalid markup is what browsers repair each in their own way: an attribute they drop, an id
two elements claim, a button inside a link. The pages are saved to files and checked in one
run of vnu, so its JVM starts once.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.e2e.site import (
    AFTER_ACTIONS,
    NOT_FOUND,
    claim_account,
    csrf_headers,
    discover,
    post_form,
)

# Where the vnu-jar package (tests/package.json) keeps the checker.
VNU = Path(__file__).resolve().parents[1] / "node_modules/vnu-jar/build/dist/vnu.jar"
TOKEN = re.compile(r"lft_[A-Za-z0-9_-]+")
# vnu's "error" is invalid markup; "non-document-error" means a file could not be checked.
FAILING = {"error", "non-document-error"}


@pytest.fixture(scope="module")
def vnu() -> list[str]:
    java = shutil.which("java")
    missing = [
        why
        for why, gone in [
            ("Java is missing (Debian's openjdk-17-jre-headless; make test installs it)", not java),
            ("vnu.jar is missing: `npm ci --prefix tests` (make test runs it)", not VNU.exists()),
        ]
        if gone
    ]
    if missing:
        if os.environ.get("CI"):
            pytest.fail("; ".join(missing))
        pytest.skip("; ".join(missing))
    return [java, "-jar", str(VNU)]


def fetch(request, base: str, paths: list[str]) -> dict[str, str]:
    """Each path's HTML, whatever its status (the 404 page is a page too)."""
    return {path: request.get(base + path).text() for path in paths}


def p256_point() -> bytes:
    """A browser's public key: an uncompressed point on P-256 (push keys are checked)."""
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    return key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def answered(response, *statuses: int) -> str:
    assert response.status in statuses, f"{response.url} answered {response.status}"
    return response.text()


def answered_at(response) -> str:
    """Where a form's redirect leads."""
    assert response.status == 303, f"{response.url} answered {response.status}"
    return response.headers["location"]


def new_reader_pages(browser, base: str) -> dict[str, str]:
    context = browser.new_context()
    try:
        request = context.request
        pages = fetch(request, base, [*discover(request, base), *AFTER_ACTIONS, NOT_FOUND])
        wrong = {"username": "nobody-here", "passphrase": "not the right passphrase at all"}
        forms = {
            "sign-in refused": ("/account/sign-in", wrong),
            "recovery refused": ("/account/recover", {**wrong, "recovery_code": ""}),
            "claim refused": ("/account/claim", {"username": "", "passphrase": "short"}),
        }
        for name, (path, data) in forms.items():
            pages[f"({name})"] = answered(post_form(request, base, path, data), 422)
    finally:
        context.close()
    return pages


def log_acts(request, base: str) -> dict[str, str]:
    """Taps (one kept aside for its time), details on one act, an access token and, through
    the API, more than a page of acts over a week. Returns the pages only these answers show."""
    pages = {}
    act_id = str(uuid.uuid4())
    tapped = post_form(request, base, "/acts", {"id": act_id, "timezone": "Europe/Berlin"})
    logged = tapped.headers["location"].split("#")[0]
    # Right after the tap, while the undo button shows.
    pages[logged] = answered(request.get(base + logged), 200)
    details = {"category": "helping", "note": "Carried a neighbour's shopping up the stairs."}
    answered(post_form(request, base, f"/acts/{act_id}", {**details, "mood_after": "4"}), 303)
    refused = {"note": "x" * 600, "mood_before": "9"}
    pages["(act details refused)"] = answered(
        post_form(request, base, f"/acts/{act_id}", refused), 422
    )
    # Just deleted, while its Undo is offered.
    gone = str(uuid.uuid4())
    answered(post_form(request, base, "/acts", {"id": gone, "timezone": "UTC"}), 303)
    deleted = answered_at(post_form(request, base, f"/acts/{gone}/delete", {"next": "/acts"}))
    pages[deleted] = answered(request.get(base + deleted), 200)
    future = (datetime.now(UTC) + timedelta(days=3)).isoformat(timespec="seconds")
    held = {"id": str(uuid.uuid4()), "occurred_at": future, "timezone": "UTC"}
    pages["(tap kept aside)"] = answered(post_form(request, base, "/acts", held), 422)

    created = answered(post_form(request, base, "/account/tokens", {"name": "Shortcut"}), 200)
    pages["(new access token)"] = created
    pages["(token name refused)"] = answered(
        post_form(request, base, "/account/tokens", {"name": ""}), 422
    )
    bearer = {"authorization": f"Bearer {TOKEN.search(created).group(0)}"}
    for n in range(22):
        when = datetime.now(UTC) - timedelta(days=n % 7, hours=1)
        act = {"occurred_at": when.isoformat(timespec="seconds"), "category": "listening"}
        answered(request.post(base + "/api/v1/acts", data=act, headers=bearer), 201)
    return pages


def import_acts(request, base: str) -> dict[str, str]:
    """The account page's import report, a file refused for one bad act (nothing is brought
    in then, and the page says which), and a file that isn't an export."""
    good = {"id": str(uuid.uuid4()), "occurred_at": datetime.now(UTC).isoformat()}
    pages = {}
    for name, body, status in [
        ("(import report)", json.dumps({"acts": [good]}), 200),
        ("(import refused act)", json.dumps({"acts": [good, "oops"]}), 422),
        ("(import refused)", "not json", 422),
    ]:
        upload = {"name": "lifted.json", "mimeType": "application/json", "buffer": body.encode()}
        sent = request.post(
            base + "/account/import",
            multipart={"export": upload},
            headers=csrf_headers(request, base),
        )
        pages[name] = answered(sent, status)
    return pages


def turn_on_reminders(request, base: str) -> dict[str, str]:
    """Reminders on, a device that receives them, a calendar link; the page while paused and
    the form sent back with its errors."""
    reminders = [("enabled", "on"), ("time_of_day", "09:00"), ("timezone", "Europe/Berlin")]
    reminders += [("days", str(day)) for day in range(7)]
    reminders += [("time_of_day_2", "12:30"), ("days_2", "5")]  # a second time, on Saturdays
    answered(post_form(request, base, "/settings/reminders", reminders), 303)
    device = {
        "endpoint": f"{base}/push-service/{uuid.uuid4()}",
        "keys": {"p256dh": b64(p256_point()), "auth": b64(os.urandom(16))},
    }
    subscribed = request.post(
        base + "/reminders/subscription", data=device, headers=csrf_headers(request, base)
    )
    answered(subscribed, 201)
    answered(post_form(request, base, "/settings/reminders/calendar", {}), 303)
    answered(post_form(request, base, "/settings/reminders/pause", {"days": "3"}), 303)
    pages = {"(reminders paused)": answered(request.get(base + "/settings/reminders"), 200)}
    answered(post_form(request, base, "/settings/reminders/resume", {}), 303)
    wrong_time = [*reminders[2:-2], ("time_of_day", "25:99"), ("quiet_start", "later")]
    wrong_time += [("time_of_day_2", "soon"), ("time_of_day_3", "09:00"), ("days_3", "1")]
    pages["(reminders refused)"] = answered(
        post_form(request, base, "/settings/reminders", wrong_time), 422
    )
    # Where Safari's "Snooze 1 hour" lands, and what it says after.
    pages["(snooze)"] = answered(request.get(base + "/reminders/snooze"), 200)
    pages["(snoozed)"] = answered(post_form(request, base, "/reminders/snooze", {}), 200)
    return pages


def signed_in_pages(browser, base: str) -> dict[str, str]:
    context = browser.new_context()
    try:
        page = context.new_page()
        claim = "/account/claim"
        with page.expect_response(lambda r: r.request.method == "POST" and claim in r.url) as got:
            assert claim_account(page, base), "claiming an account is not offered"
        # The one-time recovery code is only ever shown right after claiming.
        pages = {"(recovery code after claim)": got.value.text()}
        request = context.request
        for step in (log_acts, import_acts, turn_on_reminders):
            pages.update(step(request, base))
        paths = discover(request, base)
        for promised in ["/acts?page=2", "/account/tokens", "/settings/reminders"]:
            assert promised in paths, f"the signed-in crawl did not reach {promised}"
        assert any(p.startswith("/acts/") for p in paths), "no act's own page was reached"
        pages.update(fetch(request, base, [*paths, *AFTER_ACTIONS, NOT_FOUND]))
    finally:
        context.close()
    return pages


def check(vnu: list[str], pages: dict[str, str], folder: Path) -> tuple[list[str], Counter]:
    """Runs vnu once over every page. Returns the errors, each as "page: line N: message
    [the markup]", and how many times each warning was given."""
    names = {}
    for number, (name, html) in enumerate(pages.items()):
        file = folder / f"page-{number:03d}.html"
        file.write_text(html)
        names[file.name] = name
    files = sorted(str(folder / file) for file in names)
    run = subprocess.run(
        [*vnu, "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.stdout, f"vnu printed nothing: {run.stderr}"
    errors, warnings = [], Counter()
    for message in json.loads(run.stdout)["messages"]:
        if message["type"] not in FAILING:
            warnings[message.get("message")] += 1
            continue
        page = names.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url", "?"))
        line = f"{page}: line {message.get('lastLine', '?')}: {message.get('message')}"
        if extract := (message.get("extract") or "").strip():
            line += f"  [{' '.join(extract.split())[:120]}]"
        errors.append(line)
    return errors, warnings


def test_every_page_is_valid_html(browser, live_server, vnu, tmp_path):
    base = live_server.url
    pages = {f"{path} [new reader]": html for path, html in new_reader_pages(browser, base).items()}
    signed_in = signed_in_pages(browser, base)
    pages.update({f"{path} [signed in]": html for path, html in signed_in.items()})
    for must in ["/acts?page=2 [signed in]", "/articles?topic", "/?idea", "/offline [new reader]"]:
        assert any(name.startswith(must) for name in pages), f"{must} was not checked"

    errors, warnings = check(vnu, pages, tmp_path)

    # Warnings are advice, shown with -s but not failing. The only one today is the trailing
    # slash on the CSRF field that Litestar writes ({{ csrf_input }}), which no page can change.
    print(f"\nvnu checked {len(pages)} pages: {len(errors)} errors, {warnings.total()} warnings")
    for advice, times in warnings.most_common():
        print(f"  {times} x {advice}")
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)
