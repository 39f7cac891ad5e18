"""Words a person uses, and no dead ends: developer words only under Advanced, one meaning for
"Keep my account", the privacy page in plain words before the technical detail, and a next
step (and help) on every error page and empty state."""

from __future__ import annotations

import re

import pytest
from litestar import get, post
from litestar.exceptions import HTTPException
from litestar.params import FromPath

from tests.integration.support import BASE_URL, claim, csrf_token, post_form, soup, tap
from tests.support import text_without

# Words a developer uses and a person in a hard moment shouldn't have to read.
DEVELOPER_WORDS = re.compile(r"\b(access tokens?|tokens?|API|JSON|CSV|OpenAPI|schema)\b", re.I)
# The download's formats may be named, as detail in brackets after the words a person uses.
FORMATS = re.compile(r"\((CSV|JSON)\)")


def developer_words(html) -> list[str]:
    main = html.select_one("main")
    return DEVELOPER_WORDS.findall(FORMATS.sub("", text_without(main, "details.advanced")))


async def claim_with_token(client) -> None:
    await claim(client, "robin")
    made = await post_form(client, "/account/tokens", {"name": "phone shortcut", "expires": "30"})
    assert made.status_code == 200 and "phone shortcut" in made.text


async def test_no_developer_words_outside_advanced_for_any_reader(client):
    readers = {
        "nobody yet": None,
        "this device only": lambda: tap(client),
        "signed in, with a token": lambda: claim_with_token(client),
    }
    for who, become in readers.items():
        if become:
            await become()
        for path in ("/account", "/settings"):
            html = soup(await client.get(path))
            assert developer_words(html) == [], (who, path)
    html = soup(await client.get("/account"))
    advanced = html.select_one("main details.advanced")
    assert not advanced.has_attr("open")  # collapsed until asked for
    assert advanced.select_one("summary").get_text(strip=True) == "Advanced"
    links = {a["href"]: a.get_text(" ", strip=True) for a in advanced.select("a")}
    assert links["/account/tokens"].startswith("Access tokens")
    assert "OpenAPI" in links["/api/schema/openapi.json"]


async def test_download_your_acts_names_formats_only_as_detail(client):
    await tap(client)
    html = soup(await client.get("/account"))
    heading = html.select_one("#download")
    assert heading.get_text() == "Download your acts"
    rows = heading.find_next("ul").select("a.row")
    words = [
        (a["href"], a.select_one("strong").get_text(), a.select_one(".row-detail").get_text())
        for a in rows
    ]
    assert words[0][:2] == ("/account/export.csv", "As a spreadsheet")
    assert words[0][2].endswith("(CSV)")
    assert words[1][:2] == ("/account/export.json", "As a file you can bring back into Lifted")
    assert words[1][2].endswith("(JSON)")
    assert all(a.has_attr("download") for a in rows)


async def test_bringing_acts_back_has_a_clear_label_and_its_limits(client):
    html = soup(await client.get("/account"))
    field = html.select_one('form[action="/account/import"] input[type=file]')
    label = html.select_one(f'label[for="{field["id"]}"]').get_text()
    assert label == "The file you downloaded from Lifted"
    hint = html.select_one(f"#{field['aria-describedby']}").get_text()
    assert "5 MB" in hint and "10 times an hour" in hint


async def test_keep_my_account_means_claiming_and_the_delete_page_says_dont_delete(client):
    await tap(client)
    for path in ("/account", "/account/delete", "/settings", "/account/sign-in"):
        html = soup(await client.get(path))
        for link in html.select("main a"):
            if link.get_text(strip=True) == "Keep my account":
                assert link["href"] == "/account/claim", path
    delete = soup(await client.get("/account/delete"))
    assert "Keep my account" not in delete.select_one("main").get_text()
    cancel = delete.select_one('main a[href="/account"].button')
    assert cancel.get_text(strip=True) == "Don't delete"
    assert delete.select_one("main button[type=submit]").get_text(strip=True) == (
        "Delete everything"
    )


async def test_settings_and_account_are_rows_with_chevrons(client):
    await tap(client)
    settings = soup(await client.get("/settings"))
    rows = settings.select("main ul.list-rows > li > a.row")
    assert [a["href"] for a in rows] == [
        "/settings/reminders",
        "/settings/kindness-days",
        "/settings/day",
        "/settings/rest",
        "/settings/sharing",
        "/account",
        "/privacy",
        "/about",
        "/help",
    ]
    assert all(a.select_one(".row-detail") for a in rows)
    account = soup(await client.get("/account"))
    hrefs = [a["href"] for a in account.select("main ul.list-rows a.row")]
    assert {"/account/export.csv", "/account/export.json", "/privacy", "/account/delete"} <= set(
        hrefs
    )


async def test_privacy_says_it_plainly_first_and_the_technical_detail_after(client):
    html = soup(await client.get("/privacy"))
    headings = [h.get_text() for h in html.select("main h2")]
    assert headings == [
        "What we keep",
        "Who can see it",
        "How to take it away",
        "The technical detail",
    ]
    main = str(html.select_one("main"))
    detail_at = main.index("The technical detail")
    for word in ("SHA-256", "Argon2id", "lifted_session", "lifted_device", "15 minutes", "IPv6"):
        assert main.index(word) > detail_at, word
    plain = text_without(html.select_one("main"), "#technical-detail ~ *")
    assert "nobody can read them" in plain and "Only you" in plain
    assert 'href="/account/delete"' in main and 'href="/account#download"' in main


# ---- Never a dead end ----------------------------------------------------------------


def next_steps(response) -> tuple[tuple[str, str], bool]:
    """(label, href) of the error page's primary button, and whether help sits beside it."""
    row = soup(response).select_one("main .button-row")
    primary = next(a for a in row.select("a.button") if "help-button" not in a["class"])
    return (primary.get_text(strip=True), primary["href"]), bool(row.select_one('a[href="/help"]'))


@pytest.fixture
def failing(app):
    """Routes that fail with a chosen status, under Reminders, as a feature's page might."""

    @get("/settings/reminders/fail/{status:int}", sync_to_thread=False)
    def fail_get(status: FromPath[int]) -> str:
        if status == 500:
            raise RuntimeError("boom")
        raise HTTPException(status_code=status)

    @post("/settings/reminders/fail/{status:int}", sync_to_thread=False)
    def fail_post(status: FromPath[int]) -> str:
        raise HTTPException(status_code=status)

    app.register(fail_get)
    app.register(fail_post)


async def test_not_found_leads_where_the_reader_was_heading(client):
    steps = {
        "/no-such-page": ("Back to Today", "/"),
        "/articles/no-such-reading": ("Browse the readings", "/articles"),
        "/account/no-such-page": ("Back to your account", "/account"),
    }
    for path, step in steps.items():
        response = await client.get(path)
        assert response.status_code == 404
        assert next_steps(response) == (step, True), path


async def test_a_refused_form_goes_back_to_where_it_was(client, failing):
    came_from = {"Referer": f"{BASE_URL}/settings/reminders?saved=1"}
    stale = await client.post("/articles/breaking-the-cycle/read", headers=came_from)
    assert stale.status_code == 403
    assert next_steps(stale) == (("Go back and try again", "/settings/reminders?saved=1"), True)
    token = await csrf_token(client)
    for status, label in ((400, "Go back"), (413, "Go back"), (429, "Back to the page")):
        response = await client.post(
            f"/settings/reminders/fail/{status}", headers={**came_from, "x-csrftoken": token}
        )
        assert response.status_code == status
        assert next_steps(response) == ((label, "/settings/reminders?saved=1"), True), status
    # Another site's address is never offered: the page the address belongs to is.
    elsewhere = await client.post(
        "/settings/reminders/fail/429",
        headers={"Referer": "https://elsewhere.example/settings", "x-csrftoken": token},
    )
    assert next_steps(elsewhere) == (("Back to reminders", "/settings/reminders"), True)
    # Nor one of ours that a browser reads as another site's ("/\\host" is "//host").
    for sneaky in ("//elsewhere.example/x", "/\\elsewhere.example/x", "/a\\b"):
        response = await client.post(
            "/settings/reminders/fail/429",
            headers={"Referer": f"{BASE_URL}{sneaky}", "x-csrftoken": token},
        )
        assert next_steps(response) == (("Back to reminders", "/settings/reminders"), True), sneaky


async def test_other_errors_offer_a_way_on(client, failing):
    wrong_method = await client.get("/articles/breaking-the-cycle/read")
    assert wrong_method.status_code == 405
    assert next_steps(wrong_method) == (("Browse the readings", "/articles"), True)
    broken = await client.get("/settings/reminders/fail/500?x=1")
    assert broken.status_code == 500
    assert next_steps(broken) == (("Try again", "/settings/reminders/fail/500?x=1"), True)


async def test_empty_states_have_a_next_step(client):
    html = soup(await client.get("/account"))  # no account yet
    empty = html.select_one("main .empty-state")
    assert "No account yet" in empty.get_text()
    assert empty.select_one('a.button[href="/"]').get_text(strip=True) == "Log your first act"
    assert empty.select_one('a[href="/account/sign-in"]')
    tokens_page = soup(await client.get("/account/tokens"))
    assert "You have no tokens yet" in tokens_page.select_one(".empty-tokens").get_text()
    assert tokens_page.select_one('main form[action="/account/tokens"] button[type=submit]')
    assert tokens_page.select_one('main a.button[href="/account"]')
    assert tokens_page.select_one('main a.help-button[href="/help"]')
