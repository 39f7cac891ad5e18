"""Caddy (Debian's) in front of Lifted for the HTTPS tests, started from the shipped
deploy/Caddyfile.local with its certificates kept in the test's own folder."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from tests.e2e.conftest import ROOT, free_port, wait_for_start

CADDY = "/usr/bin/caddy"


def caddy_path() -> str:
    if not Path(CADDY).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Caddy is missing at {CADDY}; the test command installs it")
        pytest.skip(f"Caddy is missing at {CADDY}")
    return CADDY


class Caddy:
    """``caddy run`` with deploy/Caddyfile.local on ``host``:a free port, to ``upstreams``."""

    def __init__(self, home: Path, upstreams: list[str], host: str = "[::1]") -> None:
        self.home = home
        self.port = free_port()
        self.url = f"https://{host}:{self.port}"
        self.env = {
            **os.environ,
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "LIFTED_HOST": host,
            "LIFTED_HTTPS_PORT": str(self.port),
            "LIFTED_UPSTREAMS": " ".join(upstreams),
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> Caddy:
        log = open(self.home / "caddy.log", "ab")  # noqa: SIM115 - lives with the process
        config = ROOT / "deploy" / "Caddyfile.local"
        self.process = subprocess.Popen(
            [caddy_path(), "run", "--config", str(config), "--adapter", "caddyfile"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

        def probe() -> bool:  # any answer over TLS: Caddy is up (the app has its own check)
            httpx.get(self.url + "/healthz", verify=False, timeout=1)
            return True

        try:
            wait_for_start(self.process, self.home / "caddy.log", probe, "caddy")
        except RuntimeError:
            self.stop()
            raise
        return self

    def intermediate_spki(self) -> str:
        """The base64 SHA-256 of the public key of Caddy's local intermediate CA, which signs
        the site's certificate: Chromium trusts exactly that key and no other."""
        pem = (self.home / "data/caddy/pki/authorities/local/intermediate.crt").read_bytes()
        key = x509.load_pem_x509_certificate(pem).public_key()
        der = key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return base64.b64encode(hashlib.sha256(der).digest()).decode()

    def root_pem(self) -> bytes:
        return (self.home / "data/caddy/pki/authorities/local/root.crt").read_bytes()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.home / "data", ignore_errors=True)
