"""Two more engines for the cross-engine smoke, each driven the way Debian's builds allow:

- **Firefox ESR** over WebDriver BiDi, which Firefox speaks itself (``--remote-debugging-port``,
  no geckodriver): a small client over ``websockets`` (below), since no maintained Python BiDi
  client drives Firefox without geckodriver. Script errors come from BiDi's ``log.entryAdded``,
  so errors thrown while a page loads are seen too.
- **WebKitGTK** through Debian's WebKitWebDriver with Selenium, under Xvfb. The MiniBrowser
  needs ``--automation`` (or session creation hangs) and its window is never narrower than
  447 px. WebDriver classic can't read the console: errors are collected by a ``window.onerror``
  and ``unhandledrejection`` listener injected after each load, so an error thrown while the
  page loads (before the injection) is missed; a broken script then shows as a flow failing.

Both give the tests one small interface: ``goto``, ``js`` (an async function body, awaited,
with arguments), ``wait`` (poll a body until truthy) and ``errors``. Neither browser may reach
beyond loopback: every non-loopback request goes to a proxy that isn't there.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
XVFB = "/usr/bin/Xvfb"
PHONE = (390, 844)
NOWHERE = "127.0.0.1:9"  # the discard port: a proxy that answers nothing

# Firefox prefs: no update, telemetry, Safe Browsing, captive-portal or push-service traffic,
# and a dead proxy for anything not on loopback (loopback never goes through a proxy).
FIREFOX_PREFS = {
    "app.update.enabled": False,
    "toolkit.telemetry.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "dom.push.connection.enabled": False,
    "browser.shell.checkDefaultBrowser": False,
    "network.proxy.type": 1,
    "network.proxy.http": "127.0.0.1",
    "network.proxy.http_port": 9,
    "network.proxy.ssl": "127.0.0.1",
    "network.proxy.ssl_port": 9,
    "network.proxy.allow_hijacking_localhost": False,
}


def missing(name: str) -> str:
    """Why an engine can't run here ("" when it can)."""
    needs = {"firefox": [FIREFOX], "webkit": [WEBKIT_DRIVER, MINIBROWSER, XVFB]}[name]
    gone = [path for path in needs if not Path(path).exists()]
    return f"{', '.join(gone)} missing (make test installs them)" if gone else ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wrap(body: str) -> str:
    return f"(async (...args) => {{ {body} }})"


class Engine:
    name = ""

    def goto(self, url: str) -> None:
        raise NotImplementedError

    def js(self, body: str, *args):
        raise NotImplementedError

    def errors(self) -> list[str]:
        raise NotImplementedError

    def quit(self) -> None:
        raise NotImplementedError

    def wait(self, body: str, *args, timeout: float = 20.0):
        """Polls the async function ``body`` until it returns something truthy."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.js(body, *args)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: still false after {timeout} s: {body}")
            time.sleep(0.1)

    def width(self) -> tuple[int, int]:
        """(the page's scroll width, the viewport's width)."""
        return tuple(self.js("return [document.documentElement.scrollWidth, innerWidth];"))


# ---- Firefox over WebDriver BiDi -------------------------------------------------------


class Firefox(Engine):
    name = "firefox"

    def __init__(self) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="lifted-firefox-"))
        prefs = "".join(
            f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in FIREFOX_PREFS.items()
        )
        (self.profile / "user.js").write_text(prefs)
        port = _free_port()
        self.process = subprocess.Popen(
            [FIREFOX, "--headless", "--no-remote", "--profile", str(self.profile),
             f"--remote-debugging-port={port}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.pending: dict[int, asyncio.Future] = {}
        self.logged: list[str] = []
        self.next_id = 0
        self._call(self._connect(port))
        self.command("session.new", capabilities={"alwaysMatch": {"acceptInsecureCerts": False}})
        self.command("session.subscribe", events=["log.entryAdded"])
        tree = self.command("browsingContext.getTree")
        self.context = tree["contexts"][0]["context"]
        width, height = PHONE
        self.command(
            "browsingContext.setViewport",
            context=self.context,
            viewport={"width": width, "height": height},
        )

    def _call(self, coroutine, timeout: float = 60):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    async def _connect(self, port: int) -> None:
        import websockets

        deadline = time.monotonic() + 30
        while True:
            try:
                self.socket = await websockets.connect(
                    f"ws://127.0.0.1:{port}/session", max_size=None
                )
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)
        self.loop.create_task(self._read())

    async def _read(self) -> None:
        import websockets

        with contextlib.suppress(websockets.ConnectionClosed):  # the browser quit
            await self._dispatch()

    async def _dispatch(self) -> None:
        async for raw in self.socket:
            message = json.loads(raw)
            if message.get("type") == "event" and message["method"] == "log.entryAdded":
                entry = message["params"]
                if entry.get("level") == "error":
                    self.logged.append(entry.get("text") or "")
            elif "id" in message and message["id"] in self.pending:
                self.pending.pop(message["id"]).set_result(message)

    async def _send(self, method: str, params: dict) -> dict:
        self.next_id += 1
        future = self.loop.create_future()
        self.pending[self.next_id] = future
        await self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        return await future

    def command(self, method: str, **params) -> dict:
        answer = self._call(self._send(method, params))
        if answer.get("type") == "error":
            raise RuntimeError(f"firefox: {method}: {answer.get('error')}: {answer.get('message')}")
        return answer["result"]

    def goto(self, url: str) -> None:
        self.command("browsingContext.navigate", context=self.context, url=url, wait="complete")

    def js(self, body: str, *args):
        expression = f"{_wrap(body)}(...{json.dumps(list(args))})"
        result = self.command(
            "script.evaluate",
            expression=expression,
            target={"context": self.context},
            awaitPromise=True,
        )
        if result["type"] == "exception":
            raise AssertionError(f"firefox: {result['exceptionDetails'].get('text')}")
        return _value(result["result"])

    def errors(self) -> list[str]:
        found, self.logged = self.logged, []
        return found

    def quit(self) -> None:
        with contextlib.suppress(Exception):  # the browser may already be gone
            self.command("session.end")
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.loop.call_soon_threadsafe(self.loop.stop)
        shutil.rmtree(self.profile, ignore_errors=True)


def _value(remote: dict):
    """A BiDi remote value as plain Python (what JSON would give)."""
    kind, value = remote.get("type"), remote.get("value")
    if kind in ("string", "boolean"):
        return value
    if kind == "number":
        return value if not isinstance(value, str) else float(value.replace("Infinity", "inf"))
    if kind == "array":
        return [_value(item) for item in value]
    if kind == "object":
        return {(k if isinstance(k, str) else _value(k)): _value(v) for k, v in value}
    return None


# ---- WebKitGTK through WebKitWebDriver -------------------------------------------------

COLLECT_ERRORS = """
if (!window.__liftedErrors) {
  window.__liftedErrors = [];
  const keep = (text) => window.__liftedErrors.push(String(text));
  addEventListener("error", (event) => keep(event.message));
  addEventListener("unhandledrejection", (event) => keep(event.reason));
}"""


class WebKit(Engine):
    name = "webkit"

    def __init__(self) -> None:
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        self.xvfb, display = _start_xvfb()
        env = {
            **os.environ,
            "DISPLAY": display,
            "http_proxy": f"http://{NOWHERE}",
            "https_proxy": f"http://{NOWHERE}",
            "no_proxy": "127.0.0.1,localhost,::1",
        }
        options = Options()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")
        service = Service(executable_path=WEBKIT_DRIVER, env=env)
        self.driver = webdriver.WebKitGTK(options=options, service=service)
        self.driver.set_script_timeout(60)
        self.driver.set_window_size(*PHONE)  # 447 px wide at the least: MiniBrowser's floor

    def goto(self, url: str) -> None:
        self.driver.get(url)
        self.driver.execute_script(COLLECT_ERRORS)

    def js(self, body: str, *args):
        answer = self.driver.execute_async_script(
            f"""const done = arguments[arguments.length - 1];
            {_wrap(body)}(...Array.from(arguments).slice(0, -1))
              .then((value) => done({{value: value === undefined ? null : value}}),
                    (error) => done({{error: String(error && error.stack || error)}}));""",
            *args,
        )
        if "error" in answer:
            raise AssertionError(f"webkit: {answer['error']}")
        return answer["value"]

    def errors(self) -> list[str]:
        found = self.driver.execute_script(
            "const e = window.__liftedErrors || []; window.__liftedErrors = []; return e;"
        )
        return found or []

    def quit(self) -> None:
        try:
            self.driver.quit()
        finally:
            self.xvfb.terminate()
            self.xvfb.wait(timeout=10)


def _start_xvfb() -> tuple[subprocess.Popen, str]:
    """Xvfb on a free display number (it writes the number it took to a pipe)."""
    read, write = os.pipe()
    process = subprocess.Popen(
        [XVFB, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        process.kill()
        raise RuntimeError("Xvfb did not start")
    return process, f":{number}"


ENGINES = {"firefox": Firefox, "webkit": WebKit}
