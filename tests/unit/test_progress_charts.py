"""The Progress charts are well-formed, labelled SVG; the year grid's labels fit; its cells
are readable in both themes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from server.progress import charts, heatmap
from server.settings import ROOT
from tests.support import contrast, theme_colours

NS = {"svg": "http://www.w3.org/2000/svg"}
TODAY = date(2026, 3, 18)
MONTHS = {f"{date(2026, n, 1):%b}" for n in range(1, 13)}


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


def year_svg(today: date, counts: dict[date, int]) -> ET.Element:
    sentence = heatmap.summary_sentence(today, counts)
    cells, labels = heatmap.grid(today, counts), heatmap.month_labels(today)
    return parse(charts.heatmap_svg(cells, labels, sentence))


def test_heatmap_svg():
    counts = {date(2026, 3, 12): 3, date(2026, 3, 13): 1}
    root = year_svg(TODAY, counts)
    assert root.find("svg:desc", NS).text == heatmap.summary_sentence(TODAY, counts)
    rects = root.findall("svg:rect", NS)
    assert len(rects) == 52 * 7 + 3
    cell = next(r for r in rects if r.get("data-date") == "2026-03-12")
    assert "hm-3" in cell.get("class").split()
    assert cell.find("svg:title", NS).text == "3 acts on 12 March 2026"
    today = next(r for r in rects if r.get("data-date") == TODAY.isoformat())
    assert "hm-today" in today.get("class").split()
    # Drawn at its real size, so a phone shows cells of CELL pixels and scrolls sideways.
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert all(int(r.get("width")) == charts.CELL >= 14 for r in rects)


def test_weekday_labels_are_beside_the_rows_and_hidden_from_screen_readers():
    root = ET.fromstring(str(charts.weekdays_svg()))
    assert root.get("aria-hidden") == "true"
    texts = root.findall("svg:text", NS)
    assert [t.text for t in texts] == ["Mon", "Wed", "Fri"]
    # Each label's baseline falls inside its row of cells (Monday, Wednesday, Friday).
    for text, row in zip(texts, (0, 2, 4), strict=True):
        top = charts.TOP + row * charts.PITCH
        assert top < float(text.get("y")) <= top + charts.CELL
    assert root.get("height") == str(charts.HEIGHT)  # the same rows as the grid beside it


def test_label_room_fits_the_widest_month():
    # Three letters at under 0.8 em each (the widest, "M", is about 0.86 em but "a" and "y"
    # after it are 0.6 em): room is never short of the longest abbreviation.
    assert 3 * 0.8 * charts.LABEL_SIZE <= charts.LABEL_WIDTH
    assert heatmap.LABEL_SPACING * charts.PITCH >= charts.LABEL_WIDTH + 4


@pytest.mark.parametrize("offset", range(0, 2 * 366, 3))
def test_month_labels_are_never_clipped_nor_crowded(offset):
    today = date(2025, 1, 1) + timedelta(days=offset)
    root = year_svg(today, {})
    width = float(root.get("width"))
    labels = [(float(t.get("x")), t.text) for t in root.findall("svg:text", NS)]
    assert labels and all(name in MONTHS for _, name in labels)  # every label a whole month
    for x, _ in labels:
        assert x >= 0 and x + charts.LABEL_WIDTH <= width
    for (a, _), (b, _) in zip(labels, labels[1:], strict=False):
        assert b - a >= charts.LABEL_WIDTH + 4
    # At most the oldest two columns go unnamed, and today's month is always named.
    assert labels[0][0] <= charts.label_x(heatmap.LABEL_SPACING - 1)
    assert labels[-1][1] == f"{today:%b}"


def test_kinds_scale_to_the_longest_and_keep_a_sliver_for_the_smallest():
    rows = charts.kinds([("Helping", 80), ("Family", 20), ("An act with no kind", 1)])
    assert [(k["label"], k["count"], k["share"]) for k in rows] == [
        ("Helping", 80, 100),
        ("Family", 20, 25),
        ("An act with no kind", 1, 2),
    ]
    assert charts.kinds([]) == []


@pytest.mark.parametrize("percent", [0, 4.8, 50, 100])
def test_gauge_is_a_drawing_beside_the_words(percent):
    markup = str(charts.gauge_svg(percent))
    root = ET.fromstring(markup)
    assert root.get("aria-hidden") == "true" and root.get("role") is None
    assert "%" not in "".join(root.itertext())  # no number that reads like a grade
    values = root.findall("svg:path[@class='gauge-value']", NS)
    assert len(values) == (0 if percent == 0 else 1)
    assert "style" not in markup


def test_legend_svg():
    root = parse(charts.legend_svg())
    assert [r.get("class") for r in root.findall("svg:rect", NS)] == [
        f"hm hm-{i}" for i in range(5)
    ]


def rule(css: str, selector: str) -> dict[str, str]:
    """The declarations of the one rule for ``selector`` exactly."""
    (body,) = re.findall(rf"(?m)^{re.escape(selector)}\s*\{{([^}}]*)\}}", css)
    return dict(
        (name.strip(), value.strip())
        for name, value in (d.split(":", 1) for d in body.split(";") if d.strip())
    )


def themes() -> list[dict[str, str]]:
    app = theme_colours((ROOT / "web" / "static" / "app.css").read_text())
    progress = theme_colours((ROOT / "web" / "static" / "progress.css").read_text())
    return [{**a, **p} for a, p in zip(app, progress, strict=True)]


def resolve(value: str, colours: dict[str, str]) -> str:
    match = re.fullmatch(r"var\(--([\w-]+)\)", value)
    assert match, f"{value} should be a theme variable"
    return colours[match.group(1)]


@pytest.mark.parametrize("theme", [0, 1], ids=["light", "dark"])
def test_filled_days_stand_out_and_their_shades_step_apart(theme):
    colours = themes()[theme]
    surface = colours["surface"]
    css = (ROOT / "web" / "static" / "progress.css").read_text()
    ramp = [resolve(rule(css, f".hm-{i}")["fill"], colours) for i in range(1, 5)]
    for shade in ramp:
        assert contrast(shade, surface) >= 3, (shade, surface)
    for lower, higher in zip(ramp, ramp[1:], strict=False):
        assert contrast(lower, higher) >= 1.4, (lower, higher)
    # Shades grow away from the card: darker in the light theme, lighter in the dark one.
    distances = [contrast(shade, surface) for shade in ramp]
    assert distances == sorted(distances) and distances[-1] >= 4.5


@pytest.mark.parametrize("theme", [0, 1], ids=["light", "dark"])
def test_days_without_acts_are_outlined_boxes_you_can_see(theme):
    colours = themes()[theme]
    css = (ROOT / "web" / "static" / "progress.css").read_text()
    empty = rule(css, ".hm-0")
    assert resolve(empty["fill"], colours) == colours["surface"]  # hollow: the outline shows
    outline = resolve(empty["stroke"], colours)
    assert float(empty["stroke-width"]) >= 1
    assert contrast(outline, colours["surface"]) >= 3, outline
    # Today's outline differs from an empty day's, so today is found on an empty day too.
    today = rule(css, ".hm-today")
    assert float(today["stroke-width"]) > float(empty["stroke-width"])
    assert contrast(resolve(today["stroke"], colours), colours["surface"]) >= 4.5
