"""Chromium would offer to install Lifted: no installability error on Home once the service
worker runs, and everything the manifest points to (id, icons, shortcuts) resolves."""

from __future__ import annotations

from urllib.parse import urljoin

from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path, wait_for_service_worker


def test_home_is_installable_and_manifest_links_resolve(playwright_instance, live_server, tmp_path):
    # A persistent profile: in an incognito context Chromium only ever says 'in-incognito'.
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=chromium_path(),
        args=CHROMIUM_ARGS,
        headless=True,
        service_workers="allow",
        viewport={"width": 390, "height": 844},
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        wait_for_service_worker(page)
        cdp = context.new_cdp_session(page)
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        manifest_url = cdp.send("Page.getAppManifest")["url"]
        manifest = page.request.get(manifest_url).json()
        links = [urljoin(manifest_url, manifest[key]) for key in ("id", "start_url")]
        links += [urljoin(manifest_url, icon["src"]) for icon in manifest["icons"]]
        for shortcut in manifest.get("shortcuts", []):
            links.append(urljoin(manifest_url, shortcut["url"]))
            links += [urljoin(manifest_url, icon["src"]) for icon in shortcut.get("icons", [])]
        answers = {url: page.request.get(url).status for url in links}
    finally:
        context.close()
    assert errors == []
    assert manifest_url == live_server.url + "/manifest.webmanifest"
    assert manifest["shortcuts"], "the manifest offers no shortcut"
    assert {url: status for url, status in answers.items() if status != 200} == {}
