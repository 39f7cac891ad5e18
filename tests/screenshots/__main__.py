"""`python -m tests.screenshots`: starts the app on a fresh SQLite database, makes Robin (five
weeks of history) and a brand-new reader, and saves a PNG of every page and moment at each
phone width and theme, named ``<width>-<theme>-<name>.png``."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, LiveServer
from tests.screenshots import history, seed, shots

THEMES = ("light", "dark")


def _names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in shots.NAMES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown: {', '.join(unknown)} (known: {', '.join(shots.NAMES)})"
        )
    return names


def _widths(text: str) -> list[int]:
    try:
        widths = [int(width) for width in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError("widths are CSS pixels, like 390,320") from None
    if not all(200 <= width <= 1600 for width in widths):
        raise argparse.ArgumentTypeError("widths are between 200 and 1600 CSS pixels")
    return widths


def _themes(text: str) -> list[str]:
    themes = [theme.strip() for theme in text.split(",")]
    if not set(themes) <= set(THEMES):
        raise argparse.ArgumentTypeError("themes are light and dark")
    return themes


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.screenshots", description=__doc__)
    names = ", ".join(shots.NAMES)
    parser.add_argument("--only", type=_names, default=shots.NAMES, help=f"any of: {names}")
    parser.add_argument("--widths", type=_widths, default=[390, 320], help="default 390,320")
    parser.add_argument("--themes", type=_themes, default=list(THEMES), help="default light,dark")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "screenshots", help="default ./screenshots"
    )
    return parser.parse_args(argv)


def clear(out: Path) -> None:
    """Removes the last run's pictures. Only PNGs: --out may name a folder holding more."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()


def longest_article() -> str:
    return max((ROOT / "content/articles").glob("*.md"), key=lambda p: p.stat().st_size).stem


def site_for(base: str, acts: list[dict], article: str) -> shots.Site:
    """Robin's newest act with everything filled in, and his newest act with nothing added."""
    full = [a for a in acts if a["note"] and a["category"] and a["mood_after"]]
    bare = [a for a in acts if not (a["note"] or a["category"] or a["mood_after"])]
    return shots.Site(base, full[-1]["id"], bare[-1]["id"], article)


# A phone: touch, mobile viewport rules, sharp pictures, and a fixed place and language so
# dates and times read the same in every run.
PHONE = {
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "en-GB",
    "timezone_id": history.TIMEZONE,
    "service_workers": "allow",
}


def photograph(browser, base: str, wanted: list[shots.Shot], args) -> int:
    """Makes the readers, takes every wanted shot, and returns how many files it wrote."""
    article = longest_article()
    # Articles Robin has finished: a few, never the one photographed (its end shows the button).
    read = sorted(p.stem for p in (ROOT / "content/articles").glob("*.md") if p.stem != article)
    robin = browser.new_context(**PHONE)
    acts = seed.make_robin(robin.new_page(), base, read[:3])
    site = site_for(base, acts, article)
    readers = {
        "robin": robin,
        "new": browser.new_context(**PHONE),
        # Its own context: the offline tap waits in this outbox and is never sent.
        "offline": browser.new_context(**PHONE, storage_state=robin.storage_state()),
    }
    pages = {name: context.new_page() for name, context in readers.items()}
    written = 0
    for shot in wanted:
        page = pages[shot.reader]
        written += len(shots.take(page, shot, site, args.widths, args.themes, args.out))
    return written


def run(args: argparse.Namespace) -> int:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium is missing at {CHROMIUM}: `make browser` installs it")
    wanted = [shot for shot in shots.SHOTS if shot.name in args.only]
    clear(args.out)
    with tempfile.TemporaryDirectory(prefix="lifted-shots-") as data, sync_playwright() as pw:
        server = LiveServer(Path(data)).start()
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return photograph(browser, server.url, wanted, args)
        finally:
            browser.close()
            server.stop()


def main() -> None:
    args = arguments()
    started = time.monotonic()
    count = run(args)
    where = os.path.relpath(args.out.resolve())
    print(f"{count} screenshots in {where}/ ({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
