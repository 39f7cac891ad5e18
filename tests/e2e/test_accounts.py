"""Keeping an account in real Chromium: tap anonymously, claim, open it on a second device, and
get back in with the recovery code when the passphrase is forgotten."""

from __future__ import annotations

import re
import secrets
import time

from playwright.sync_api import expect

from tests.e2e.taps import export, tap

ACT_LINK = re.compile(r"^/acts/([0-9a-f-]{36})$")


def stored_ids(page, live_server, expected: int, timeout: float = 15) -> set[str]:
    """The ids of the acts the server holds for this browser, once it holds ``expected``: the
    counter moves at once, the tap reaches the server a moment later."""
    deadline = time.monotonic() + timeout
    while True:
        ids = {act["id"] for act in export(page, live_server)}
        if len(ids) >= expected or time.monotonic() > deadline:
            assert len(ids) == expected, f"the server holds {len(ids)} acts, not {expected}"
            return ids
        time.sleep(0.2)


def fresh_device(browser):
    """A second phone: a new context shares no cookies, storage or service worker."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def sign_in(page, base: str, username: str, passphrase: str) -> None:
    page.goto(base + "/account/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Passphrase").fill(passphrase)
    page.get_by_role("button", name="Sign in").click()


def history_ids(page, base: str) -> set[str]:
    page.goto(base + "/acts")
    links = page.locator("a.act-item").evaluate_all("links => links.map(a => a.pathname)")
    return {ACT_LINK.match(link).group(1) for link in links if ACT_LINK.match(link)}


def test_claim_sign_in_elsewhere_and_recover(page, browser, live_server):
    base = live_server.url
    username = f"lantern-{secrets.token_hex(3)}"
    passphrase = f"quiet harbour {secrets.token_hex(4)} morning"
    new_passphrase = f"second spring {secrets.token_hex(4)} garden"

    # Two taps on the first phone, before any account exists.
    page.goto(base + "/")
    tap(page)
    expect(page.locator("[data-tap-count]")).to_have_text("1 act of kindness today")
    tap(page)  # a second later: two taps that close are asked about, not counted
    expect(page.locator("[data-tap-count]")).to_have_text("2 acts of kindness today")
    tapped = stored_ids(page, live_server, expected=2)

    # Claim: the recovery code is shown once, on the page that answers the form.
    page.goto(base + "/account/claim")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Passphrase", exact=True).fill(passphrase)
    page.get_by_label("Passphrase again").fill(passphrase)
    page.get_by_role("button", name="Keep my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is yours now")
    code = page.locator("#recovery-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{5}(-[A-Z0-9]{5}){3,}", code), code

    # A second phone signs in with username and passphrase and sees both taps.
    second, phone = fresh_device(browser)
    try:
        sign_in(phone, base, username, passphrase)
        expect(phone.get_by_role("heading", name=f"Signed in as {username}")).to_be_visible()
        assert history_ids(phone, base) == tapped
    finally:
        second.close()

    # Passphrase forgotten: a third phone resets it with the recovery code.
    third, phone = fresh_device(browser)
    try:
        phone.goto(base + "/account/recover")
        phone.get_by_label("Username").fill(username)
        phone.get_by_label("Recovery code").fill(code.lower().replace("-", " "))
        phone.get_by_label("New passphrase").fill(new_passphrase)
        phone.get_by_role("button", name="Reset passphrase").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Your passphrase is reset")
        new_code = phone.locator("#recovery-code").inner_text().strip()
        assert new_code and new_code != code
        assert history_ids(phone, base) == tapped
    finally:
        third.close()

    # The reset signed every other device out, the first phone included.
    page.goto(base + "/account")
    expect(page.get_by_role("heading", name=f"Signed in as {username}")).to_have_count(0)

    fourth, phone = fresh_device(browser)
    try:
        # The old passphrase no longer opens the account.
        sign_in(phone, base, username, passphrase)
        expect(phone.get_by_role("alert").first).to_contain_text("don't match")
        assert history_ids(phone, base) == set()
        # The old recovery code no longer works either.
        phone.goto(base + "/account/recover")
        phone.get_by_label("Username").fill(username)
        phone.get_by_label("Recovery code").fill(code)
        phone.get_by_label("New passphrase").fill(f"third try {secrets.token_hex(4)} river")
        phone.get_by_role("button", name="Reset passphrase").click()
        expect(phone.get_by_role("alert").first).to_contain_text("don't match")
        # The new passphrase does, with both taps still there.
        sign_in(phone, base, username, new_passphrase)
        expect(phone.get_by_role("heading", name=f"Signed in as {username}")).to_be_visible()
        assert history_ids(phone, base) == tapped
    finally:
        fourth.close()
