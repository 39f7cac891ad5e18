"""Schemathesis fuzzes the JSON API from its own OpenAPI schema, with a real token: no
answer is a server error, every answer conforms to the schema (status, content type, headers,
body), invalid input is refused, and the token is really checked. Runs on SQLite and
PostgreSQL, against the real server (uvicorn), and always sends the audit's edge cases too:
digits that are not ASCII, JSON nested thousands deep, bodies and query strings that are not
UTF-8, lone surrogates, NUL and over-long values, some as raw bytes no HTTP client library
would send.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import LiveServer
from tests.quality.conftest import Reader

SCHEMA = "/api/schema/openapi.json"
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "ignored_auth",
        "missing_required_header",
    ]
)


@pytest.fixture
def api_server(tmp_path, fresh_database):
    server = LiveServer(tmp_path, database_url=fresh_database).start()
    yield server
    server.stop()


def new_token(server: LiveServer) -> str:
    """A personal access token, made through the Access tokens page as a reader would."""
    reader = Reader(server.url)
    try:
        reader.visit("/account/tokens")
        response = reader.client.post(
            "/account/tokens",
            data={"name": "fuzzing", "_csrf_token": reader.token},
            headers={"x-csrftoken": reader.token},
        )
    finally:
        reader.close()
    match = re.search(r'id="token-value">\s*([^<\s]+)\s*<', response.text)
    assert match, f"no token shown ({response.status_code})"
    return match.group(1)


def test_json_api_survives_fuzzing_and_conforms_to_its_schema(api_server):
    token = new_token(api_server)
    schemathesis = Path(sys.executable).with_name("schemathesis")
    run = subprocess.run(
        [
            str(schemathesis),
            "run",
            api_server.url + SCHEMA,
            "--checks",
            CHECKS,
            "--header",
            f"Authorization: Bearer {token}",
            "--max-examples",
            "60",
            "--workers",
            "1",
            "--request-timeout",
            "10",
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    output = run.stdout + run.stderr
    assert "Tested: " in output, output[-3000:]
    assert run.returncode == 0, output[-6000:]
    # The schema describes at least the three operations; all of them were exercised.
    tested = int(re.search(r"Tested: (\d+)", output).group(1))
    assert tested >= 3
    assert "API Operations" in output
    log = api_server.log()
    assert "Traceback" not in log, log[-3000:]


def test_api_refuses_requests_without_a_token(api_server):
    reader = Reader(api_server.url)
    try:
        response = reader.client.get("/api/v1/acts")
    finally:
        reader.close()
    assert response.status_code == 401


DEEP = b"[" * 5000 + b"]" * 5000


def raw_status(server: LiveServer, request_line: bytes, headers: bytes = b"") -> int:
    """Sends bytes as they are (httpx would percent-encode them) and reads the status."""
    parts = urlsplit(server.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(
            request_line + b"\r\nHost: 127.0.0.1\r\n" + headers + b"Connection: close\r\n\r\n"
        )
        head = conn.recv(4096)
    return int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0


def test_the_audits_edge_cases_get_plain_4xx_from_the_real_server(api_server):
    token = new_token(api_server)
    bearer = {"Authorization": f"Bearer {token}"}
    reader = Reader(api_server.url)
    try:
        client = reader.client
        for query in ("page=²", "page=٣", "per_page=３", "page=%ff", "page=%zz", "page=%00"):
            response = client.get(f"/api/v1/acts?{query}", headers=bearer)
            assert response.status_code == 400, (query, response.text)
            assert "Validation" not in response.json()["error"]
        api = {**bearer, "Content-Type": "application/json"}
        for body, status in (
            (DEEP, 400),
            (b'{"note": "\xff\xfe"}', 400),
            (b'{"note": "\\ud800"}', 400),
            (json.dumps({"note": "a\x00b"}).encode(), 422),
            (json.dumps({"id": "x" * 10_000}).encode(), 422),
            (json.dumps({"mood_before": 2, "occurred_at": "２０２６-01-01T00:00Z"}).encode(), 422),
        ):
            response = client.post("/api/v1/acts", content=body, headers=api)
            assert response.status_code == status, (body[:40], response.text)
            assert response.json()["error"]
        for path in ("/?idea=²", "/acts?page=٣", "/settings/reminders?test=²-³"):
            assert client.get(path).status_code == 200, path
        for path in ("/reminders/calendar/" + "a" * 10_000 + ".ics", "/reminders/calendar/%00.ics"):
            assert client.get(path).status_code == 404
        reader.visit("/")
        broken = b'--B\r\nContent-Disposition: form-data; name="note"\r\n\r\n\xff\xfe\r\n--B--\r\n'
        for csrf in ({}, {"x-csrftoken": reader.token}):
            response = client.post(
                "/acts",
                content=broken,
                headers={"Content-Type": "multipart/form-data; boundary=B", **csrf},
            )
            assert response.status_code in (400, 403), response.text
        response = client.post(
            "/reminders/subscription",
            content=DEEP,
            headers={"Content-Type": "application/json", "x-csrftoken": reader.token},
        )
        assert response.status_code == 422 and response.json()["error"]
    finally:
        reader.close()
    # Bytes no client library sends: the server (or uvicorn before it) refuses them, no 5xx.
    for line in (b"GET /acts?page=\xff\xfe HTTP/1.1", b"GET /acts/\xff\xed\xa0\x80 HTTP/1.1"):
        assert 0 < raw_status(api_server, line) < 500, line
    log = api_server.log()
    assert "Traceback" not in log, log[-3000:]
