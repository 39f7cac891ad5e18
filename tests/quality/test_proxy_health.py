"""The shipped Caddy configuration (deploy/Caddyfile.local, the same health settings as
deploy/Caddyfile) does not take the site down for one failed request.

A request to a live process can fail for reasons of its own: the process closing an idle
connection just as Caddy reuses it, a restart, a reset. Caddy's passive health check counts
that failure against the process; when one failure was enough (``max_fails`` 1, Caddy's
default) and it was the only process left, every reader got "no upstreams available" (503)
for ``fail_duration``, ten seconds (seen once in CI, in test_several_processes)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from server.serving import KEEP_ALIVE
from tests.e2e.caddy import Caddy, caddy_path
from tests.e2e.conftest import ROOT, free_port


class _Flaky(BaseHTTPRequestHandler):
    """A stand-in process: healthy to Caddy's checks, and it drops the first tap's connection
    without an answer; every later tap is answered."""

    dropped = threading.Event()

    def do_GET(self) -> None:  # /readyz, /healthz: up
        self._answer(b"ok")

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        if not self.dropped.is_set():
            self.dropped.set()
            self.connection.shutdown(socket.SHUT_RDWR)  # no status line, no headers
            self.close_connection = True
            return
        self._answer(b"saved")

    def _answer(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def test_one_failed_request_does_not_take_the_last_process_out(tmp_path):
    _Flaky.dropped.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # The other process is gone (nothing listens there), as after a SIGKILL.
    caddy = Caddy(tmp_path, [f"127.0.0.1:{free_port()}", f"127.0.0.1:{server.server_port}"])
    try:
        caddy.start()
        with httpx.Client(base_url=caddy.url, verify=False, timeout=15) as client:
            first = client.post("/acts", data={"id": "1"})
            assert _Flaky.dropped.is_set()
            assert first.status_code == 502  # that one tap's answer is lost (the outbox resends)
            answers = [client.post("/acts", data={"id": str(n)}) for n in range(2, 5)]
        assert [(a.status_code, a.text) for a in answers] == [(200, "saved")] * 3
    finally:
        caddy.stop()
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("name", ["Caddyfile", "Caddyfile.local"])
def test_caddy_lets_go_of_idle_connections_before_lifted_would(name):
    """Lifted (uvicorn) closes a connection idle for KEEP_ALIVE seconds. Caddy must close its
    idle ones to Lifted sooner, or a tap (or a health check: every 5 s on a real domain, as
    long as Lifted waits) may go down a connection Lifted is closing, fail, and count against
    a live process. Read from what Caddy makes of each shipped file."""
    adapted = subprocess.run(
        [caddy_path(), "adapt", "--config", str(ROOT / "deploy" / name), "--adapter", "caddyfile"],
        env={**os.environ, "LIFTED_DOMAIN": "lifted.example.org"},
        capture_output=True,
        check=True,
    )
    proxy = _reverse_proxy(json.loads(adapted.stdout))
    idle = proxy["transport"]["keep_alive"]["idle_timeout"] / 1e9
    assert idle <= KEEP_ALIVE - 1
    # Naming one keep-alive setting drops Caddy 2.6's other defaults (32 idle connections
    # per process): with Go's 2, a busy site would reconnect for most taps.
    assert proxy["transport"]["keep_alive"]["max_idle_conns_per_host"] >= 32
    assert proxy["health_checks"]["passive"]["max_fails"] >= 2


def _reverse_proxy(config: dict) -> dict:
    """The one reverse_proxy handler in Caddy's JSON configuration."""
    found = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("handler") == "reverse_proxy":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(config)
    assert len(found) == 1
    return found[0]
