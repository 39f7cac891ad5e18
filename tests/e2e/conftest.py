"""A real server process and real Chromium (Debian's, through Playwright)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("LIFTED_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """`python -m server serve` in a subprocess, on its own data dir."""

    def __init__(self, data_dir: Path, database_url: str | None = None, **env: str) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "LIFTED_DATA_DIR": str(data_dir),
            "LIFTED_LOG_LEVEL": "WARNING",
            "LIFTED_SCHEDULER": "false",
            "LIFTED_PUSH_ALLOW_HTTP": "true",
            **env,
        }
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.process: subprocess.Popen | None = None

    def start(self, *extra: str) -> LiveServer:
        log = open(self.data_dir / "server.log", "ab")  # noqa: SIM115 - lives with the process
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server", "serve", "--port", str(self.port), *extra],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

        def probe() -> bool:
            return httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200

        wait_for_start(self.process, self.data_dir / "server.log", probe, "server")
        return self

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return (self.data_dir / "server.log").read_text()


def wait_for_start(process: subprocess.Popen, log: Path, answers, name: str) -> None:
    """Waits up to 30 s until ``answers()`` is true (an HTTP error counts as not yet); a
    process that ends first fails with its log."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(log.read_text())
        try:
            if answers():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{name} did not start in 30 s")


def chromium_path() -> str:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}; the test command installs it")
        pytest.skip(f"Chromium is missing at {CHROMIUM}")
    return CHROMIUM


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    chromium_path()
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(
        executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("live")).start()
    yield server
    server.stop()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="allow")
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(15000)
    page.console_messages = []
    page.on("console", lambda msg: page.console_messages.append(msg.text))
    yield page


def wait_until(page, predicate: str, arg=None, timeout: int = 20000) -> None:
    """Waits until the async JS function ``predicate(arg)`` resolves truthy, polling in the page.

    Playwright's wait_for_function counts a returned Promise as truthy at once, so it cannot
    wait on async checks such as the Cache API; this awaits each check instead.
    """
    page.evaluate(
        f"""async (arg) => {{
            const predicate = {predicate};
            const deadline = Date.now() + {int(timeout)};
            while (!(await predicate(arg))) {{
                if (Date.now() > deadline) throw new Error("not true within {int(timeout)} ms");
                await new Promise((resolve) => setTimeout(resolve, 100));
            }}
        }}""",
        arg,
    )


def wait_for_service_worker(page) -> None:
    """Waits until the service worker controls the page and its precache is done."""
    wait_until(
        page,
        """async () => {
            await navigator.serviceWorker.ready;
            if (!navigator.serviceWorker.controller) return false;
            const keys = await caches.keys();
            if (!keys.length) return false;
            const cache = await caches.open(keys[0]);
            return (await cache.keys()).length > 3;
        }""",
        # Installing fetches ~50 files; with both cores busy (make test runs two workers, and
        # the servers, on a 2-core machine) it once took longer than 20 s.
        timeout=45000,
    )


# ---- Accessibility: axe-core (tests/package.json), for the whole site and single pages ----
THEMES = ["light", "dark"]
AXE = ROOT / "tests" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, for ``violations`` (test_accessible.py and any page state a test
    builds that the crawl cannot reach)."""
    if not AXE.exists():
        message = "axe-core is missing: `npm ci --prefix tests` (make test runs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text()


def violations(page, axe_source: str) -> list[str]:
    """axe's violations on the page as it is now, one line each."""
    # Evaluated through the DevTools protocol, not as a <script>, so the strict CSP that
    # blocks inline script does not block axe (and needs no exception for the test).
    page.evaluate(axe_source)
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map((v) =>
                `${v.id} (${v.impact}): ${v.help} at ` +
                v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "));
        }"""
    )
    return found


def no_axe_violation(page, axe_source: str) -> None:
    """axe finds nothing on the page as it is now (after the scripts' changes), in both
    themes; the light theme is left on."""
    for theme in reversed(THEMES):
        page.emulate_media(color_scheme=theme)
        assert violations(page, axe_source) == [], theme
