"""Schemathesis fuzzes the JSON API from its own OpenAPI schema, with a real token: no
answer is a server error, every answer conforms to the schema (status, content type, headers,
body), invalid input is refused, and the token is really checked."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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


@pytest.fixture(scope="module")
def api_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("fuzz")).start()
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
