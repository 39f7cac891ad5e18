"""Server-drawn SVG charts: the year heatmap, the category bars and the momentum gauge.

No chart library and no script: each chart is a small string of SVG with ``role="img"``, a
``<title>`` that names it (``aria-labelledby``) and a ``<desc>`` that says what it shows
(``aria-describedby``), so a screen reader hears the sentence, not hundreds of shapes. Colours
come only from classes that app.css maps to theme variables, so the dark theme recolours them
and the strict CSP (no style attributes) is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from markupsafe import Markup

from server.progress import heatmap
from server.progress.heatmap import BUCKETS, WEEKS, Cell

SVG_NS = "http://www.w3.org/2000/svg"

CELL, GAP = 11, 2
PITCH = CELL + GAP
LEFT, TOP = 30, 16
DAY_NAMES = {0: "Mon", 2: "Wed", 4: "Fri"}


def _open(key: str, title: str, desc: str, width: float, height: float, css: str) -> list[str]:
    return [
        f'<svg xmlns="{SVG_NS}" class="{css}" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-labelledby="{key}-title" aria-describedby="{key}-desc" focusable="false">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">{escape(desc)}</desc>',
    ]


def heatmap_svg(
    cells: Sequence[Cell],
    months: Sequence[tuple[int, str]],
    description: str,
    key: str = "heatmap",
) -> Markup:
    """53 week columns by 7 weekday rows; each cell carries its bucket class and a label."""
    width, height = LEFT + WEEKS * PITCH, TOP + 7 * PITCH
    parts = _open(key, "Acts of kindness per day, past year", description, width, height, "heatmap")
    for column, name in months:
        parts.append(f'<text class="chart-label" x="{LEFT + column * PITCH}" y="11">{name}</text>')
    for row, name in DAY_NAMES.items():
        y = TOP + row * PITCH + CELL - 1
        parts.append(f'<text class="chart-label" x="0" y="{y}">{name}</text>')
    last = cells[-1].day if cells else None
    for cell in cells:
        x, y = LEFT + cell.column * PITCH, TOP + cell.row * PITCH
        today = " hm-today" if cell.day == last else ""
        parts.append(
            f'<rect class="hm hm-{cell.bucket}{today}" x="{x}" y="{y}" width="{CELL}" '
            f'height="{CELL}" rx="2" data-date="{cell.day.isoformat()}" data-count="{cell.count}">'
            f"<title>{escape(cell.label)}</title></rect>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def legend_svg(key: str = "legend") -> Markup:
    """The shade scale, fewer to more, with each bucket's range as its own title."""
    ranges = ", ".join(label for _, label in BUCKETS)
    desc = f"Acts per day: {ranges}."
    parts = _open(key, "Shades, from fewer acts to more", desc, 80, 14, "heatmap-legend")
    for index, (_, label) in enumerate(BUCKETS):
        parts.append(
            f'<rect class="hm hm-{index}" x="{index * 16}" y="1" width="{CELL + 1}" '
            f'height="{CELL + 1}" rx="2"><title>{escape(label)}</title></rect>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def bars_svg(rows: Sequence[tuple[str, int]], key: str = "categories") -> Markup:
    """Horizontal bars, one per category, longest first, each with its label and count."""
    width, row_height, bar_height, bar_width = 320, 40, 14, 260
    most = max((count for _, count in rows), default=0) or 1
    desc = "; ".join(f"{label}: {count} act{'s' if count != 1 else ''}" for label, count in rows)
    height = max(row_height * len(rows), row_height)
    parts = _open(key, "Acts by kind", (desc or "No acts yet") + ".", width, height, "bars")
    for index, (label, count) in enumerate(rows):
        top = index * row_height
        length = max(round(bar_width * count / most), 2)
        parts.append(f'<text class="chart-text" x="0" y="{top + 14}">{escape(label)}</text>')
        parts.append(
            f'<rect class="bar" x="0" y="{top + 20}" width="{length}" height="{bar_height}" '
            f'rx="3" data-count="{count}"/>'
        )
        parts.append(
            f'<text class="chart-text chart-count" x="{length + 6}" y="{top + 32}">{count}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def gauge_svg(percent: float, key: str = "momentum") -> Markup:
    """A half-circle dial filled to ``percent`` (0 to 100) with the number in words below."""
    shown = round(percent)
    desc = f"Momentum {shown} out of 100."
    parts = _open(key, "Your momentum", desc, 200, 118, "gauge")
    arc = "M 20 100 A 80 80 0 0 1 180 100"
    parts.append(f'<path class="gauge-track" d="{arc}" pathLength="100"/>')
    if percent > 0:
        # pathLength makes the dash pattern a percentage of the arc, whatever its real length.
        filled = max(percent, 1)
        parts.append(
            f'<path class="gauge-value" d="{arc}" pathLength="100" '
            f'stroke-dasharray="{filled:.1f} 100"/>'
        )
    parts.append(f'<text class="gauge-number" x="100" y="96" text-anchor="middle">{shown}%</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def page_charts(summary: dict, daily: dict[date, int], today: date) -> dict:
    """Everything the template draws, from the summary and the per-day counts."""
    sentence = heatmap.summary_sentence(today, daily)
    return {
        "gauge": gauge_svg(summary["momentum"]),
        "heatmap": heatmap_svg(heatmap.grid(today, daily), heatmap.month_labels(today), sentence),
        "legend": legend_svg(),
        "year_sentence": sentence,
        "months": heatmap.months(today, daily),
        "bars": bars_svg([(c["label"], c["count"]) for c in summary["categories"]]),
    }
