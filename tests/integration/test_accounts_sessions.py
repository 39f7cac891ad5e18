"""Claiming an account, signing in and out, recovery, merging and session cookies."""

from __future__ import annotations

from server.acts.models import Act
from server.app import create_app
from server.articles.models import ArticleRead
from server.identity.models import Account, Session
from server.reminders.models import ReminderSettings
from tests.integration.app_client import AppClient
from tests.integration.conftest import clear_tables, make_settings
from tests.integration.support import (
    CODE_RE,
    PASSPHRASE,
    claim,
    new_device,
    post_form,
    session_cookie,
    set_cookie,
    sign_in,
    soup,
    tap,
    use_device,
)


async def test_claim_shows_recovery_code_once_and_stores_only_hashes(client):
    await tap(client)
    before = await Account.get()
    old_cookie = client.cookies.get("lifted_session")
    response = await post_form(
        client,
        "/account/claim",
        {"username": "Kind.Soul_7", "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE},
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    html = soup(response)
    code = html.select_one("#recovery-code").get_text(strip=True)
    assert CODE_RE.match(code)
    assert "only time it is shown" in html.get_text()
    assert html.select_one("#download-code")  # enhanced by accounts.js
    account = await Account.get()
    assert account.id == before.id  # the anonymous account became the claimed one
    assert account.username == "kind.soul_7"
    assert account.passphrase_hash.startswith("$argon2id$")
    assert account.recovery_hash.startswith("$argon2id$")
    assert PASSPHRASE not in account.passphrase_hash and code not in account.recovery_hash
    assert account.claimed_at is not None
    # The session rotated: a new cookie, and the old token no longer opens the account.
    assert client.cookies.get("lifted_session") != old_cookie
    assert await Session.filter(account=account).count() == 1
    page = await client.get("/account")
    assert "Signed in as kind.soul_7" in soup(page).select_one("main").get_text()
    assert not CODE_RE.search(page.text)


async def test_claim_without_an_account_creates_one(client):
    await claim(client, "fresh-start")
    assert await Account.filter(username="fresh-start").count() == 1


async def test_claim_refuses_bad_input_in_plain_words_and_keeps_the_username(client):
    cases = [
        ({"username": "ab"}, "username", "3 to 40"),
        ({"username": "has space"}, "username", "letters, digits"),
        ({"passphrase": "short", "passphrase_again": "short"}, "passphrase", "at least 10"),
        (
            {"passphrase": "password123", "passphrase_again": "password123"},
            "passphrase",
            "most guessed",
        ),
        ({"passphrase_again": "something else!"}, "passphrase_again", "not the same"),
    ]
    for change, field, words in cases:
        data = {"username": "gentle", "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE}
        data.update(change)
        response = await post_form(client, "/account/claim", data)
        assert response.status_code == 422, change
        html = soup(response)
        assert words in html.select_one(f"#f-{field}-error").get_text(), change
        assert html.select_one("#f-username")["value"] == data["username"]
        assert html.select_one("#f-passphrase")["value"] == ""  # secrets are never echoed
    assert await Account.filter(username__not_isnull=True).count() == 0


async def test_usernames_are_unique_regardless_of_case(client):
    await claim(client, "Robin")
    new_device(client)
    response = await post_form(
        client,
        "/account/claim",
        {"username": "ROBIN", "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE},
    )
    assert response.status_code == 422
    assert "taken" in soup(response).select_one("#f-username-error").get_text()


async def test_sign_in_on_another_device_sees_the_same_acts(client):
    act_id = await tap(client)
    await claim(client, "robin")
    new_device(client)
    response = await sign_in(client, "Robin")  # usernames are case-insensitive
    assert response.status_code == 303
    history = await client.get("/acts")
    assert act_id in history.text


async def test_wrong_passphrase_or_username_is_refused_the_same_way(client):
    await claim(client, "robin")
    new_device(client)
    wrong_pass = await sign_in(client, "robin", "not the passphrase")
    wrong_user = await sign_in(client, "nobody-here", PASSPHRASE)
    assert wrong_pass.status_code == wrong_user.status_code == 422
    text = soup(wrong_pass).select_one("[role=alert]").get_text()
    assert text == soup(wrong_user).select_one("[role=alert]").get_text()
    assert "don't match" in text
    assert "lifted_session" not in client.cookies


async def test_sign_in_rotates_the_session(client):
    await claim(client, "robin")
    first = client.cookies.get("lifted_session")
    response = await sign_in(client, "robin")
    assert response.status_code == 303
    assert session_cookie(response)
    assert client.cookies.get("lifted_session") != first
    assert await Session.all().count() == 1


async def test_sign_out_and_sign_out_everywhere(client):
    await claim(client, "robin")
    laptop = new_device(client)
    await sign_in(client, "robin")
    assert await Session.all().count() == 2
    response = await post_form(client, "/account/sign-out")
    assert response.status_code == 303
    assert "Max-Age=0" in session_cookie(response)
    assert await Session.all().count() == 1
    assert "Signed in as" not in (await client.get("/account")).text
    use_device(client, laptop)
    assert "Signed in as robin" in (await client.get("/account")).text
    phone = new_device(client)
    await sign_in(client, "robin")
    phone = new_device(client)
    use_device(client, laptop)
    assert await Session.all().count() == 2
    response = await post_form(client, "/account/sign-out-everywhere")
    assert response.status_code == 303
    assert await Session.all().count() == 0
    assert "Signed in as" not in (await client.get("/account")).text
    use_device(client, phone)
    assert "Signed in as" not in (await client.get("/account")).text


async def test_recovery_code_resets_the_passphrase_and_is_replaced(client):
    code = await claim(client, "robin")
    other = new_device(client)
    new_pass = "a brand new passphrase"
    response = await post_form(
        client,
        "/account/recover",
        {
            "username": "robin",
            "recovery_code": code.lower().replace("-", " "),
            "passphrase": new_pass,
        },
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    new_code = soup(response).select_one("#recovery-code").get_text(strip=True)
    assert CODE_RE.match(new_code) and new_code != code
    # Every other device was signed out; this one is signed in.
    use_device(client, other)
    assert "Signed in as" not in (await client.get("/account")).text
    new_device(client)
    assert (await sign_in(client, "robin", PASSPHRASE)).status_code == 422
    assert (await sign_in(client, "robin", new_pass)).status_code == 303
    # The old code stops working, the new one works.
    reused = await post_form(
        client,
        "/account/recover",
        {"username": "robin", "recovery_code": code, "passphrase": "yet another passphrase"},
    )
    assert reused.status_code == 422
    assert "don't match" in soup(reused).select_one("[role=alert]").get_text()
    again = await post_form(
        client,
        "/account/recover",
        {"username": "robin", "recovery_code": new_code, "passphrase": "yet another passphrase"},
    )
    assert again.status_code == 200


async def test_anonymous_data_merges_into_the_account_signed_in_to(client):
    kept = await tap(client)
    await claim(client, "robin")
    account = await Account.get(username="robin")
    await ArticleRead.create(account=account, slug="healing-through-helping")
    await ReminderSettings.create(account=account, enabled=True, time_of_day="08:30")
    # A second device, used anonymously first: two acts, two reads (one the same), reminders.
    new_device(client)
    first = await tap(client)
    second = await tap(client)
    anonymous = await Account.get(username=None)
    await ArticleRead.create(account=anonymous, slug="healing-through-helping")
    await ArticleRead.create(account=anonymous, slug="altruism-as-therapy")
    await ReminderSettings.create(account=anonymous, enabled=False, time_of_day="21:00")
    response = await sign_in(client, "robin")
    assert response.status_code == 303
    assert not await Account.filter(id=anonymous.id).exists()
    ids = {str(i) for i in await Act.filter(account=account).values_list("id", flat=True)}
    assert ids == {kept, first, second}
    slugs = sorted(await ArticleRead.filter(account=account).values_list("slug", flat=True))
    assert slugs == ["altruism-as-therapy", "healing-through-helping"]
    settings = await ReminderSettings.get(account=account)
    assert settings.time_of_day == "08:30" and settings.enabled
    assert await Account.all().count() == 1
    history = await client.get("/acts")
    assert all(act_id in history.text for act_id in (kept, first, second))


async def test_merging_into_an_account_without_reminders_keeps_the_anonymous_ones(client):
    await claim(client, "robin")
    new_device(client)
    await tap(client)
    anonymous = await Account.get(username=None)
    await ReminderSettings.create(account=anonymous, enabled=True, time_of_day="21:00")
    response = await sign_in(client, "robin")
    assert response.status_code == 303
    robin = await Account.get(username="robin")
    assert (await ReminderSettings.get(account=robin)).time_of_day == "21:00"
    assert await Act.filter(account=robin).count() == 1


async def test_signing_in_from_a_claimed_account_does_not_merge_it(client):
    await claim(client, "robin")
    new_device(client)
    mine = await tap(client)
    await claim(client, "alex")
    await sign_in(client, "robin")
    alex = await Account.get(username="alex")
    assert [str(i) for i in await Act.filter(account=alex).values_list("id", flat=True)] == [mine]


async def test_session_cookie_flags(client):
    response = await post_form(
        client,
        "/account/claim",
        {"username": "robin", "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE},
    )
    cookie = session_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    # The CSRF cookie too: pages carry the token in <body data-hx-headers>, so no script needs
    # to read the cookie, and a script injected somehow can't either.
    client.cookies.clear()
    csrf = set_cookie(await client.get("/settings"), "csrftoken")
    assert "HttpOnly" in csrf and "samesite=lax" in csrf.lower(), csrf


async def test_session_cookie_is_secure_when_the_base_url_is_https(database_url, data_dir):
    app = create_app(make_settings(database_url, data_dir, LIFTED_BASE_URL="https://lifted.test"))
    async with AppClient(app, base_url="https://lifted.test") as secure:
        await clear_tables()
        response = await post_form(
            secure,
            "/account/claim",
            {"username": "alex", "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE},
        )
        assert response.status_code == 200
        assert "csrftoken" not in secure.cookies  # only under its __Host- name
        csrf = secure.cookies.get("__Host-csrftoken")
        # An old browser still holding the plain name is moved to the __Host- one, signed in.
        token = secure.cookies.get("__Host-lifted_session")
        secure.cookies.clear()
        secure.cookies.set("lifted_session", token, domain="lifted.test")
        moved = await secure.get("/account")
        assert "Signed in as alex" in moved.text
        renewed = [h for h in moved.headers.get_list("set-cookie") if "lifted_session" in h]
    cookie = session_cookie(response)
    assert cookie.startswith("__Host-lifted_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    assert "Path=/" in cookie and "Domain" not in cookie
    assert csrf
    assert sorted(
        h.split(";")[0].split("=")[0] + ("=" if "Max-Age=0" in h else "") for h in renewed
    ) == [
        "__Host-lifted_session",
        "lifted_session=",
    ]


async def test_sessions_live_in_the_database_so_any_process_knows_them(settings):
    """A session made by one app instance opens the account in another (another process or
    host): nothing about it is kept in a process's memory."""
    async with AppClient(create_app(settings), base_url="http://127.0.0.1:8000") as first:
        await clear_tables()
        await claim(first, "robin")
        cookie = first.cookies.get("lifted_session")
    async with AppClient(create_app(settings), base_url="http://127.0.0.1:8000") as second:
        second.cookies.set("lifted_session", cookie)
        page = await second.get("/account")
    assert "Signed in as robin" in page.text
