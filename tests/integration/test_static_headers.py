"""A stylesheet, script or icon is never a document: it carries nosniff and the
same-origin resource policy, not the page policies (CSP, framing, permissions) that would
only weigh on every file of a first load. Pages and the service worker keep all of them."""

from __future__ import annotations

import re

PAGE_ONLY = ["content-security-policy", "permissions-policy", "x-frame-options"]


async def test_static_files_carry_only_what_applies_to_them(client):
    home = (await client.get("/")).text
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js|png))"', home)
    assert {a.rsplit(".", 1)[1] for a in assets} >= {"css", "js", "png"}
    for path in assets:
        headers = (await client.get(path)).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["cross-origin-resource-policy"] == "same-origin", path
        assert not [name for name in PAGE_ONLY if name in headers], path
    for path in ("/", "/sw.js", "/offline", "/static/no-such-file.css"):
        headers = (await client.get(path)).headers
        assert all(name in headers for name in PAGE_ONLY), path
