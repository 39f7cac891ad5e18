"""Personal access tokens and the JSON API: created once, listed, revoked, and enforced."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from server.acts.models import Act
from server.identity.models import ApiToken
from tests.integration.support import (
    claim,
    iso,
    new_device,
    post_form,
    soup,
    tap,
)


async def make_token(client, name: str = "phone shortcut") -> str:
    response = await post_form(client, "/account/tokens", {"name": name})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    return soup(response).select_one("#token-value").get_text(strip=True)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_token_is_shown_once_stored_hashed_and_listed(client):
    token = await make_token(client, "phone shortcut")
    assert token.startswith("lft_") and len(token) > 40
    row = await ApiToken.get()
    assert row.token_hash != token and token not in row.token_hash
    page = await client.get("/account/tokens")
    html = soup(page)
    assert token not in page.text
    item = html.select_one(".token")
    assert item.select_one(".token-name").get_text() == "phone shortcut"
    assert "never used" in item.get_text()
    await client.get("/api/v1/acts", headers=bearer(token))
    assert "last used" in soup(await client.get("/account/tokens")).select_one(".token").get_text()


async def test_token_name_is_checked(client):
    response = await post_form(client, "/account/tokens", {"name": "   "})
    assert response.status_code == 422
    assert "give the token a name" in soup(response).select_one("#f-name-error").get_text()
    response = await post_form(client, "/account/tokens", {"name": "x" * 61})
    assert response.status_code == 422
    assert await ApiToken.all().count() == 0


async def test_api_records_acts_with_the_same_idempotency_as_the_tap(client):
    token = await make_token(client)
    act_id = str(uuid.uuid4())
    when = iso(datetime.now(UTC) - timedelta(hours=2))
    body = {
        "id": act_id,
        "occurred_at": when,
        "timezone": "Europe/Paris",
        "category": None,
        "note": "Carried groceries <b>upstairs</b>",
        "mood_before": 2,
        "mood_after": 4,
    }
    first = await client.post("/api/v1/acts", json=body, headers=bearer(token))
    assert first.status_code == 201
    assert first.json()["id"] == act_id and first.json()["mood_after"] == 4
    assert first.json()["note"] == "Carried groceries <b>upstairs</b>"
    again = await client.post("/api/v1/acts", json=body, headers=bearer(token))
    assert again.status_code == 200 and again.json() == first.json()
    assert await Act.all().count() == 1
    # Without an id the server makes one, so each request is a new act (documented).
    for _ in range(2):
        response = await client.post("/api/v1/acts", json={}, headers=bearer(token))
        assert response.status_code == 201
    assert await Act.all().count() == 3


async def test_api_refuses_bad_acts_with_reasons(client):
    token = await make_token(client)
    response = await client.post(
        "/api/v1/acts", json={"mood_before": 9, "timezone": "Mars/Olympus"}, headers=bearer(token)
    )
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"mood_before", "timezone"}
    wrong_type = await client.post("/api/v1/acts", json={"mood_after": "x"}, headers=bearer(token))
    assert wrong_type.status_code == 400 and wrong_type.json()["error"]
    not_json = await client.post(
        "/api/v1/acts",
        content=b"{nope",
        headers={**bearer(token), "content-type": "application/json"},
    )
    assert not_json.status_code == 400
    old = iso(datetime.now(UTC) - timedelta(days=40))
    held = await client.post("/api/v1/acts", json={"occurred_at": old}, headers=bearer(token))
    assert held.status_code == 422 and "30 days" in held.json()["error"]
    assert await Act.all().count() == 0


async def test_api_lists_acts_newest_first_in_pages_and_reports_progress(client):
    token = await make_token(client)
    now = datetime.now(UTC)
    ids = []
    for hours in (3, 2, 1):
        body = {"id": str(uuid.uuid4()), "occurred_at": iso(now - timedelta(hours=hours))}
        await client.post("/api/v1/acts", json=body, headers=bearer(token))
        ids.append(body["id"])
    first = (await client.get("/api/v1/acts?per_page=2", headers=bearer(token))).json()
    assert [a["id"] for a in first["acts"]] == [ids[2], ids[1]]
    assert first["total"] == 3 and first["next_page"] == 2
    second = (await client.get("/api/v1/acts?per_page=2&page=2", headers=bearer(token))).json()
    assert [a["id"] for a in second["acts"]] == [ids[0]] and second["next_page"] is None
    for page in ("0", "²", "٣"):  # ASCII digits only, and from 1
        refused = await client.get(f"/api/v1/acts?page={page}", headers=bearer(token))
        assert refused.status_code == 400 and set(refused.json()["fields"]) == {"page"}
        assert refused.json()["error"].startswith("Some values can't be used: page.")
    progress = await client.get("/api/v1/progress", headers=bearer(token))
    assert progress.status_code == 200
    assert progress.json()["all_time"] == 3


async def test_missing_invalid_and_revoked_tokens_get_401(client):
    token = await make_token(client)
    assert (await client.get("/api/v1/acts", headers=bearer(token))).status_code == 200
    for headers in ({}, bearer("lft_not-a-real-token"), {"Authorization": "Basic abc"}):
        response = await client.get("/api/v1/acts", headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.json()["error"]
    row = await ApiToken.get()
    revoke = await post_form(client, f"/account/tokens/{row.id}/revoke")
    assert revoke.status_code == 303
    assert not soup(await client.get("/account/tokens")).select(".token")
    for url in ("/api/v1/acts", "/api/v1/progress"):
        response = await client.get(url, headers=bearer(token))
        assert response.status_code == 401, url
    response = await client.post("/api/v1/acts", json={}, headers=bearer(token))
    assert response.status_code == 401
    assert await Act.all().count() == 0


async def test_another_accounts_token_cannot_be_revoked_and_is_a_404(client):
    await make_token(client)
    theirs = await ApiToken.get()
    new_device(client)
    await make_token(client, "mine")
    for token_id in (theirs.id, 999999, 2**40):
        response = await post_form(client, f"/account/tokens/{token_id}/revoke")
        assert response.status_code == 404
    assert await ApiToken.filter(revoked_at=None).count() == 2


async def test_two_accounts_see_only_their_own_acts_through_the_api(client):
    mine = await tap(client)
    await claim(client, "robin")
    my_token = await make_token(client)
    new_device(client)
    theirs = await tap(client)
    their_token = await make_token(client)
    listed = (await client.get("/api/v1/acts", headers=bearer(my_token))).json()
    assert [a["id"] for a in listed["acts"]] == [mine]
    listed = (await client.get("/api/v1/acts", headers=bearer(their_token))).json()
    assert [a["id"] for a in listed["acts"]] == [theirs]
    # Reusing another account's act id through the API neither reveals nor changes it.
    response = await client.post("/api/v1/acts", json={"id": mine}, headers=bearer(their_token))
    assert response.status_code == 409
    assert "note" not in response.text


async def test_schema_documents_only_the_api(client):
    response = await client.get("/api/schema/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Lifted API"
    assert set(schema["paths"]) == {"/api/v1/acts", "/api/v1/progress"}
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    post = schema["paths"]["/api/v1/acts"]["post"]
    assert {"200", "201", "400", "401", "422"} <= set(post["responses"])


async def test_options_lists_every_method_and_reads_answer_head(client):
    # Litestar 2 alone answers "OPTIONS, POST" where GET and POST are separate handlers.
    allowed = {
        "/api/v1/acts": "GET, HEAD, OPTIONS, POST",
        "/api/v1/progress": "GET, HEAD, OPTIONS",
        "/acts": "GET, HEAD, OPTIONS, POST",
    }
    for path, methods in allowed.items():
        response = await client.options(path)
        assert (response.status_code, response.headers["allow"]) == (204, methods), path

    token = await make_token(client)
    await client.post("/api/v1/acts", json={}, headers=bearer(token))
    full = await client.get("/api/v1/acts", headers=bearer(token))
    head = await client.head("/api/v1/acts", headers=bearer(token))
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == full.headers["content-length"]
    assert (await client.head("/api/v1/progress", headers=bearer(token))).status_code == 200
    assert (await client.head("/api/v1/acts")).status_code == 401

    # Answering HEAD too leaves the GET operations' ids as clients generated them.
    paths = (await client.get("/api/schema/openapi.json")).json()["paths"]
    assert paths["/api/v1/acts"]["get"]["operationId"] == "ApiV1ActsListActs"
    assert paths["/api/v1/progress"]["get"]["operationId"] == "ApiV1ProgressProgress"
