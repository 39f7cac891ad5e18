"""The Progress charts are well-formed, labelled SVG, and their shades are readable."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from server.progress import charts, heatmap
from server.settings import ROOT

NS = {"svg": "http://www.w3.org/2000/svg"}
TODAY = date(2026, 3, 18)


def parse(markup) -> ET.Element:
    root = ET.fromstring(str(markup))  # raises on anything that is not well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    title = root.find("svg:title", NS)
    assert title is not None and title.text
    assert root.get("aria-labelledby") == title.get("id")
    desc = root.find("svg:desc", NS)
    assert desc is not None and desc.text
    assert root.get("aria-describedby") == desc.get("id")
    assert "style" not in str(markup)  # the CSP forbids style attributes
    return root


def test_heatmap_svg():
    counts = {date(2026, 3, 12): 3, date(2026, 3, 13): 1}
    sentence = heatmap.summary_sentence(TODAY, counts)
    root = parse(
        charts.heatmap_svg(heatmap.grid(TODAY, counts), heatmap.month_labels(TODAY), sentence)
    )
    assert root.find("svg:desc", NS).text == sentence
    rects = root.findall("svg:rect", NS)
    assert len(rects) == 52 * 7 + 3
    cell = next(r for r in rects if r.get("data-date") == "2026-03-12")
    assert "hm-3" in cell.get("class").split()
    assert cell.find("svg:title", NS).text == "3 acts on 12 March 2026"
    today = next(r for r in rects if r.get("data-date") == TODAY.isoformat())
    assert "hm-today" in today.get("class").split()


def test_bars_svg_escapes_labels_and_scales_to_the_longest():
    root = parse(charts.bars_svg([("Helping", 8), ("<Family> & co", 2)]))
    bars = root.findall("svg:rect", NS)
    assert [int(b.get("width")) for b in bars] == [260, 65]
    texts = [t.text for t in root.findall("svg:text", NS)]
    assert "<Family> & co" in texts
    assert root.find("svg:desc", NS).text == "Helping: 8 acts; <Family> & co: 2 acts."


@pytest.mark.parametrize("percent", [0, 4.8, 50, 100])
def test_gauge_svg(percent):
    root = parse(charts.gauge_svg(percent))
    assert f"{round(percent)}%" in "".join(root.itertext())
    values = root.findall("svg:path[@class='gauge-value']", NS)
    assert len(values) == (0 if percent == 0 else 1)


def test_legend_svg():
    root = parse(charts.legend_svg())
    assert [r.get("class") for r in root.findall("svg:rect", NS)] == [
        f"hm hm-{i}" for i in range(5)
    ]


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def theme_colours(css: str) -> list[dict[str, str]]:
    """The light and dark values of every CSS variable, from :root and its dark override."""
    light, dark = {}, {}
    dark_at = css.index("@media (prefers-color-scheme: dark)")
    for match in re.finditer(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css):
        (dark if match.start() > dark_at and "hm-" in match.group(1) else light).setdefault(
            match.group(1), match.group(2)
        )
    return [light, dark]


def test_heatmap_shades_are_readable_in_both_themes():
    app_css = (ROOT / "web" / "static" / "app.css").read_text()
    progress_css = (ROOT / "web" / "static" / "progress.css").read_text()
    surfaces = re.findall(r"--surface:\s*(#[0-9a-fA-F]{6})", app_css)
    assert len(surfaces) == 2  # light, then dark
    for surface, shades in zip(surfaces, theme_colours(progress_css), strict=True):
        ramp = [shades[f"hm-{i}"] for i in range(5)]
        for lower, higher in zip(ramp, ramp[1:], strict=False):
            assert contrast(lower, higher) >= 1.4, (lower, higher)
        # Shades grow away from the card: darker in the light theme, lighter in the dark one.
        distances = [contrast(shade, surface) for shade in ramp]
        assert distances == sorted(distances)
        assert all(d >= 3 for d in distances[2:]), distances
        assert distances[4] >= 4.5
