"""Vendored files are exactly what was recorded when they were vendored."""

from __future__ import annotations

import base64
import hashlib

from server.settings import ROOT

VENDOR = ROOT / "web" / "static" / "vendor"


def test_htmx_matches_recorded_sha384():
    scripts = sorted(VENDOR.glob("htmx-2.0.*.min.js"))
    assert len(scripts) == 1, "exactly one htmx 2.0.x build is vendored"
    script = scripts[0]
    recorded = (VENDOR / (script.name + ".sha384")).read_text().strip()
    digest = base64.b64encode(hashlib.sha384(script.read_bytes()).digest()).decode()
    assert recorded == f"sha384-{digest}"
    assert (
        (VENDOR / script.name.replace(".min.js", ".LICENSE"))
        .read_text()
        .startswith("Zero-Clause BSD")
    )


def test_no_template_or_asset_loads_from_another_origin():
    import re

    pattern = re.compile(r"""(?:src|href)=["']https?://""")
    for path in list((ROOT / "web").rglob("*.html")) + list((ROOT / "web").rglob("*.js")):
        if "vendor" in path.parts:
            continue
        assert not pattern.search(path.read_text()), path
