"""What a phone sees: the weight of Home's first load, what a repeat visit fetches, and
Lighthouse's scores. Both use Debian's Chromium."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

from bench.harness import BENCH, Process

CHROMIUM = os.environ.get("LIFTED_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic"]
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def _served(log: Path, since: int) -> list[dict]:
    """Requests the app answered after byte ``since`` of its access log (INFO level)."""
    lines = log.read_bytes()[since:].decode(errors="replace").splitlines()
    return [json.loads(ln.split(" - ", 4)[-1]) for ln in lines if "lifted.access" in ln]


def weight(app: Process) -> dict:
    """Home's first load, compressed, as fetched by the page (CDP encodedDataLength), and what a
    reload fetches from the server (the app's own access log is the ground truth)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        # A persistent profile, as a phone's browser is: Chromium then reads the manifest and
        # fetches its icon for the install prompt, and those bytes count too.
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            service_workers="allow",
            viewport={"width": 390, "height": 844},
        )
        browser = context
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        seen: dict[str, dict] = {}
        cdp.on(
            "Network.requestWillBeSent",
            lambda e: seen.setdefault(e["requestId"], {}).update(
                url=e["request"]["url"], type=e.get("type")
            ),
        )
        cdp.on(
            "Network.loadingFinished",
            lambda e: seen.setdefault(e["requestId"], {}).update(bytes=e["encodedDataLength"]),
        )
        # The service worker's own fetches (its precache) happen after the page has loaded.
        precache: list = []
        context.on("requestfinished", lambda r: precache.append(r) if r.service_worker else None)
        page.goto(app.url + "/", wait_until="networkidle")
        first = [
            {"url": r["url"].removeprefix(app.url), "type": r.get("type"), "bytes": r["bytes"]}
            for r in seen.values()
            if r.get("url", "").startswith("http") and "bytes" in r
        ]
        # The service worker must be in charge (and its precache done) before the repeat visit.
        # Awaited inside the page: wait_for_function would take the returned Promise as true.
        page.evaluate(
            """async () => {
                const deadline = Date.now() + 30000;
                for (;;) {
                    await navigator.serviceWorker.ready;
                    const keys = await caches.keys();
                    const cached = keys.length ? (await (await caches.open(keys[0])).keys()) : [];
                    if (navigator.serviceWorker.controller && cached.length > 3) return;
                    if (Date.now() > deadline) throw new Error("no service worker in 30 s");
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
            }"""
        )
        page.wait_for_timeout(500)
        precached = sum(r.sizes()["responseBodySize"] for r in precache)
        mark = app.log.stat().st_size
        page.reload(wait_until="networkidle")
        page.wait_for_timeout(500)
        repeat = _served(app.log, mark)
        browser.close()
    total = sum(r["bytes"] for r in first)
    # The service worker checks /sw.js for an update on navigation; that is not the page.
    repeat_page = [r for r in repeat if r["route"] != "/sw.js"]
    return {
        "first_load": {"requests": len(first), "bytes": total, "kb": round(total / 1024, 1)},
        "first_load_files": first,
        # After the first load, in the background: what the reader keeps for offline use.
        "service_worker_precache": {"requests": len(precache), "kb": round(precached / 1024, 1)},
        "repeat_visit": {
            "requests": len(repeat_page),
            "routes": [r["route"] for r in repeat_page],
            "service_worker_update_checks": len(repeat) - len(repeat_page),
        },
    }


def lighthouse(url: str, cookie: str, out: Path) -> dict:
    """Lighthouse 13, mobile defaults, one page; its four category scores (0-100)."""
    if not LIGHTHOUSE.exists():
        return {"skipped": "bench/node_modules has no lighthouse (make bench installs it)"}
    argv = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new " + " ".join(CHROMIUM_ARGS),
    ]
    if cookie:
        argv.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    started = time.monotonic()
    run = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=180)
    if run.returncode != 0 or not out.exists():
        return {"error": (run.stderr or run.stdout)[-500:]}
    report = json.loads(out.read_text())
    scores = {k: round(report["categories"][k]["score"] * 100) for k in CATEGORIES}
    failing = {}
    for key in CATEGORIES:
        for ref in report["categories"][key]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                failing.setdefault(key, []).append(f"{ref['id']} ({audit['score']})")
    metrics = report["audits"]
    return {
        "scores": scores,
        "failing_audits": failing,
        "fcp_ms": round(metrics["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(metrics["largest-contentful-paint"]["numericValue"]),
        "seconds": round(time.monotonic() - started, 1),
    }
