"""Server-drawn charts: the year grid (SVG), its weekday labels and key, the momentum gauge,
and each month's calendar (an HTML table, built here rather than in Jinja: a year of months is
some 500 cells, and string joins draw them about twenty times faster than template loops).

No chart library and no script. A chart that carries information is a small string of SVG
with ``role="img"``, a ``<title>`` that names it (``aria-labelledby``) and a ``<desc>`` that says
what it shows (``aria-describedby``), so a screen reader hears the sentence, not hundreds of
shapes; a drawing that only repeats text beside it (the gauge, the weekday labels) is hidden
from screen readers. Colours come only from classes that progress.css maps to theme
variables, so the dark theme recolours them and the strict CSP (no style attributes) is kept.

The year grid is drawn at its real size in pixels (``width`` and ``height`` equal the
``viewBox``), so its cells stay readable on a phone and the grid scrolls sideways in its box.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from markupsafe import Markup

from server.progress import heatmap, momentum, monthview
from server.progress.heatmap import BUCKETS, WEEKS, Cell

SVG_NS = "http://www.w3.org/2000/svg"

CELL, GAP = 14, 3
PITCH = CELL + GAP
# Month labels sit above the cells; room on the left for the scroll box's fading edge.
TOP, LEFT = 20, 16
LABEL_SIZE = 12  # px, for month and weekday labels (progress.css .chart-label)
# Room for a three-letter month at LABEL_SIZE: "May", the widest, is about 2.1 em (25 px).
LABEL_WIDTH = 30
# A label over the last column runs past its cell: the grid ends this far after it.
RIGHT = LABEL_WIDTH - CELL + 2
WIDTH = LEFT + WEEKS * PITCH - GAP + RIGHT
HEIGHT = TOP + 7 * PITCH - GAP + 2  # + today's outline
DAY_NAMES = {0: "Mon", 2: "Wed", 4: "Fri"}
WEEKDAY_WIDTH = 32


def _open(key: str, title: str, desc: str, width: float, height: float, css: str) -> list[str]:
    return [
        f'<svg xmlns="{SVG_NS}" class="{css}" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" role="img" '
        f'aria-labelledby="{key}-title" aria-describedby="{key}-desc" focusable="false">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">{escape(desc)}</desc>',
    ]


def _decorative(css: str, width: float, height: float, sized: bool = True) -> str:
    size = f' width="{width:g}" height="{height:g}"' if sized else ""
    return (
        f'<svg xmlns="{SVG_NS}" class="{css}" viewBox="0 0 {width:g} {height:g}"{size} '
        'aria-hidden="true" focusable="false">'
    )


def label_x(column: int) -> int:
    return LEFT + column * PITCH


def heatmap_svg(
    cells: Sequence[Cell],
    months: Sequence[tuple[int, str]],
    description: str,
    key: str = "heatmap",
) -> Markup:
    """53 week columns by 7 weekday rows; each cell carries its bucket class and a label."""
    title = "Acts of kindness per day, past year"
    parts = _open(key, title, description, WIDTH, HEIGHT, "heatmap")
    for column, name in months:
        parts.append(f'<text class="chart-label" x="{label_x(column)}" y="13">{name}</text>')
    last = cells[-1].day if cells else None
    for cell in cells:
        x, y = LEFT + cell.column * PITCH, TOP + cell.row * PITCH
        today = " hm-today" if cell.day == last else ""
        parts.append(
            f'<rect class="hm hm-{cell.bucket}{today}" x="{x}" y="{y}" width="{CELL}" '
            f'height="{CELL}" rx="3" data-date="{cell.day.isoformat()}" data-count="{cell.count}">'
            f"<title>{escape(cell.label)}</title></rect>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def weekdays_svg(kindness: Sequence[int] = ()) -> Markup:
    """Mon, Wed and Fri beside the rows, outside the scrolling box so they stay in view; the
    reader's kindness days named too, in colour with a dot (the text below says so)."""
    parts = [_decorative("heatmap-days", WEEKDAY_WIDTH, HEIGHT)]
    for row in sorted({*DAY_NAMES, *kindness}):
        y = TOP + row * PITCH + CELL - 3
        name = monthview.WEEKDAYS[row][0]
        if row in kindness:
            parts.append(f'<circle class="kd-mark" cx="{WEEKDAY_WIDTH - 3}" cy="{y - 4}" r="2.5"/>')
            parts.append(f'<text class="chart-label kd-label" x="0" y="{y}">{name}</text>')
        else:
            parts.append(f'<text class="chart-label" x="0" y="{y}">{name}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def legend_svg(key: str = "legend") -> Markup:
    """The shade scale, fewer to more, with each bucket's range as its own title."""
    ranges = ", ".join(label for _, label in BUCKETS)
    desc = f"Acts per day: {ranges}."
    step = CELL + 4
    width = len(BUCKETS) * step - 2
    parts = _open(key, "Shades, from fewer acts to more", desc, width, CELL + 2, "heatmap-legend")
    for index, (_, label) in enumerate(BUCKETS):
        parts.append(
            f'<rect class="hm hm-{index}" x="{index * step + 1}" y="1" width="{CELL}" '
            f'height="{CELL}" rx="3"><title>{escape(label)}</title></rect>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def gauge_svg(percent: float) -> Markup:
    """A half-circle dial filled to ``percent`` (0 to 100). Decorative: the words and the
    number beside it say the same thing in text."""
    parts = [_decorative("gauge", 200, 108, sized=False)]
    arc = "M 16 100 A 84 84 0 0 1 184 100"
    parts.append(f'<path class="gauge-track" d="{arc}" pathLength="100"/>')
    if percent > 0:
        # pathLength makes the dash pattern a percentage of the arc, whatever its real length.
        filled = max(percent, 1)
        parts.append(
            f'<path class="gauge-value" d="{arc}" pathLength="100" '
            f'stroke-dasharray="{filled:.1f} 100"/>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def month_table(month: monthview.Month, kindness: Sequence[int] = ()) -> Markup:
    """A month as a table a screen reader can walk: weekday column headers (full names for a
    screen reader, three letters on screen), one row a week, each day's number then its count
    ("12 3 acts"), today marked with ``aria-current="date"``."""
    heads = "".join(
        f'<th scope="col" class="kd"><span aria-hidden="true">{short}</span>'
        f'<span class="visually-hidden">{full}, a kindness day</span></th>'
        if index in kindness
        else f'<th scope="col"><span aria-hidden="true">{short}</span>'
        f'<span class="visually-hidden">{full}</span></th>'
        for index, (short, full) in enumerate(monthview.WEEKDAYS)
    )
    rows = []
    for week in month.weeks:
        cells = []
        for day in week:
            if day is None:
                cells.append('<td class="md-pad"></td>')
                continue
            css = "md" + " md-active" * bool(day.count)
            css += " md-today" * day.is_today + " md-future" * day.is_future
            current = ' aria-current="date"' if day.is_today else ""
            # The space keeps "12" and "3 acts" apart for a screen reader.
            count = (
                f' <span class="md-count">{day.count}<span class="visually-hidden"> '
                f"act{'' if day.count == 1 else 's'}</span></span>"
                if day.count
                else ""
            )
            today = '<span class="visually-hidden">, today</span>' if day.is_today else ""
            cells.append(
                f'<td class="{css}" data-date="{day.day.isoformat()}" data-count="{day.count}"'
                f'{current}><span class="md-date">{day.day.day}</span>{count}{today}</td>'
            )
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return Markup(
        '<table class="month-grid">'
        f'<caption class="visually-hidden">Acts of kindness each day, {escape(month.name)}'
        f"</caption><thead><tr>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def kinds(rows: Sequence[tuple[str, int]]) -> list[dict]:
    """Each kind with its count and its bar's length in percent of the longest (at least 2,
    so a kind done once still shows a bar)."""
    most = max((count for _, count in rows), default=0) or 1
    return [
        {"label": label, "count": count, "share": max(round(100 * count / most, 1), 2)}
        for label, count in rows
    ]


def page_charts(
    summary: dict, daily: dict[date, int], today: date, since: date, kindness: Sequence[int] = ()
) -> dict:
    """Everything the template draws, from the summary and the per-day counts (which cover
    ``since`` through ``today``)."""
    sentence = heatmap.summary_sentence(today, daily)
    percent = summary["momentum"]
    return {
        "gauge": gauge_svg(percent),
        "momentum_words": momentum.in_words(percent),
        "momentum_number": momentum.shown_number(percent),
        "heatmap": heatmap_svg(heatmap.grid(today, daily), heatmap.month_labels(today), sentence),
        "weekdays": weekdays_svg(kindness),
        "legend": legend_svg(),
        "year_sentence": sentence,
        "months": heatmap.months(today, daily),
        "calendar": [
            {"month": m, "table": month_table(m, kindness)}
            for m in monthview.months(today, daily, since)
        ],
        "kinds": kinds([(c["label"], c["count"]) for c in summary["categories"]]),
    }
