"""What is photographed: every page, and the moments only an action shows.

A shot opens its page once (``prepare``), then is taken at every width and theme by resizing
the viewport and switching ``prefers-color-scheme``: far quicker than a browser context per
picture, and CSS reflows exactly as it would on a fresh load. ``settle`` runs after each
resize, for shots that depend on where the page is scrolled or on a timer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.conftest import wait_for_service_worker
from tests.e2e.taps import TAP_ANIMATIONS_DONE

TAP = "I did an act of kindness"
# Every article's end: what a reader sees after the last paragraph.
SCROLL_TO_END = "window.scrollTo(0, document.documentElement.scrollHeight)"
# Undo lasts 10 s (tap.js removes it; a CSS animation hides it without JavaScript), less than
# it takes to photograph every width and theme. A fresh copy of the form restarts both clocks,
# so each picture shows the confirmation as it looks in its first seconds.
KEEP_UNDO = """() => document.querySelectorAll("[data-undo]").forEach((form) => {
  const copy = form.cloneNode(true);
  delete copy.dataset.expires;
  form.replaceWith(copy);
})"""


# The "Log another" question after a double tap goes after 10 s too (tap.js): a copy stays.
KEEP_QUESTION = """() => document.querySelectorAll("[data-tap-again]").forEach((question) => {
  question.replaceWith(question.cloneNode(true));
})"""
TWO_QUICK_TAPS = """async () => {
  const button = document.querySelector(".tap-button");
  button.click();
  await new Promise((resolve) => setTimeout(resolve, 200));
  button.click();
}"""


@dataclass(frozen=True)
class Site:
    """What the shots need to know about the running app and Robin's history."""

    base: str
    act_id: str  # an act with a kind, a note and moods: its details page
    bare_act_id: str  # an act with nothing added yet: moods are chosen on its page
    article: str  # the longest article's slug


@dataclass(frozen=True)
class Shot:
    name: str
    reader: str  # "robin" (signed in, with history), "new" (a first visit) or "offline"
    prepare: Callable[[object, Site], None]
    settle: Callable[[object], None] | None = None
    full_page: bool = True


def visit(path: str) -> Callable[[object, Site], None]:
    def prepare(page, site: Site) -> None:
        page.goto(site.base + path.format(site=site))

    return prepare


def after_tap(page, site: Site) -> None:
    page.goto(site.base + "/")
    page.get_by_role("button", name=TAP, exact=True).click()
    page.locator("[data-undo]").wait_for()
    page.evaluate(TAP_ANIMATIONS_DONE)


def offline_tap(page, site: Site) -> None:
    """A tap with no connection, once the service worker can serve the app offline. The tap
    stays in this context's outbox, which closes with it: it never reaches the server."""
    page.goto(site.base + "/")
    wait_for_service_worker(page)
    page.context.set_offline(True)
    page.get_by_role("button", name=TAP, exact=True).click()
    page.locator("[data-outbox-badge]", has_text="waiting to sync").wait_for()
    page.evaluate(TAP_ANIMATIONS_DONE)


def double_tap(page, site: Site) -> None:
    """Two taps 200 ms apart: the second is asked about ("Log another"), not counted."""
    page.goto(site.base + "/")
    page.evaluate(TWO_QUICK_TAPS)
    page.locator("[data-tap-again]").wait_for()
    page.locator("[data-undo]").wait_for()
    page.evaluate(TAP_ANIMATIONS_DONE)


def offline_details(page, site: Site) -> None:
    """A tap with no connection, then its details being added on Today (the reader "offline"
    is offline since offline-tap; this tap too stays in that context's outbox)."""
    page.goto(site.base + "/")
    wait_for_service_worker(page)
    page.context.set_offline(True)
    page.get_by_role("button", name=TAP, exact=True).click()
    page.get_by_role("link", name="Add details").click()
    form = page.locator("[data-details-form]")
    form.locator("label.kind-option", has_text="Listening").click()
    form.get_by_label("A short note").press_sequentially("Called Gran and let her talk about it.")
    form.get_by_role("group", name="And after?").locator("label.face-4").click()
    page.evaluate(TAP_ANIMATIONS_DONE)


def article_logged(page, site: Site) -> None:
    """ "Log it on Today" pressed at the end of an article: the confirmation right there."""
    page.goto(f"{site.base}/articles/{site.article}")
    page.locator("#try-today").get_by_role("button", name="Log it on Today").click()
    page.locator("#try-today [data-undo]").wait_for()
    page.evaluate(TAP_ANIMATIONS_DONE)


def progress_last_month(page, site: Site) -> None:
    """Progress after stepping back one month in the month calendar."""
    page.goto(site.base + "/progress")
    page.locator(".month-current .month-older").click()


def progress_offline(page, site: Site) -> None:
    """Progress opened offline from the service worker's copy, after the offline tap: the
    counts include the tap still waiting in the outbox, marked as such."""
    if not page.locator("[data-outbox-badge]", has_text="waiting to sync").count():
        offline_tap(page, site)  # taken on its own, without `offline-tap` before it
    page.goto(site.base + "/progress")
    page.locator(".tally-waiting").first.wait_for()


def moods_chosen(page, site: Site) -> None:
    """Moods picked on an act's page but not saved, so every run starts from the same act."""
    page.goto(f"{site.base}/acts/{site.bare_act_id}")
    page.check("input[name=mood_before][value='2']")
    page.check("input[name=mood_after][value='4']")


def deleted_with_undo(page, site: Site) -> None:
    """Delete on an act's page: back on the history, "Deleted." with Undo for 10 seconds.
    The act with nothing added goes, after its own shot (act-moods) was taken."""
    page.goto(f"{site.base}/acts/{site.bare_act_id}?next=/acts")
    page.get_by_role("button", name="Delete this act").click()
    page.locator("[data-undo]").wait_for()


# A theme switch starts the buttons' short colour and shadow transitions; a picture taken
# halfway through one differs from run to run. (Playwright's animations="disabled" would also
# finish the animation that hides Undo.)
TRANSITIONS_DONE = """() => Promise.all(document.getAnimations()
  .filter((animation) => animation instanceof CSSTransition)
  .map((animation) => animation.finished.catch(() => null)))"""


def advanced_open(page, site: Site) -> None:
    """The account page with its Advanced section (tokens, the API) opened."""
    page.goto(site.base + "/account")
    page.locator("details.advanced summary").click()


def keep_undo(page) -> None:
    page.evaluate(KEEP_UNDO)


def keep_undo_and_question(page) -> None:
    page.evaluate(KEEP_UNDO)
    page.evaluate(KEEP_QUESTION)
    page.evaluate(TAP_ANIMATIONS_DONE)  # the copy fades in again


def show_try_today(page) -> None:
    """The article's "Try this today" box, in the middle of the screen."""
    keep_undo(page)
    page.evaluate("document.getElementById('try-today').scrollIntoView({block: 'center'})")


def kindness_day_today(page, site: Site) -> None:
    """Today chosen as a kindness day (aim 3) in Settings, then Today with its card."""
    page.goto(site.base + "/settings/kindness-days")
    today = page.evaluate("() => (new Date().getDay() + 6) % 7")  # Monday first
    page.check(f"#kd-{today}")
    page.check("input[name=aim][value='3']")
    page.get_by_role("button", name="Save kindness days").click()
    page.wait_for_url("**/settings/kindness-days?saved=1")
    page.goto(site.base + "/")


def share_link_made(page, site: Site) -> None:
    """A link for a sponsor made in Settings (kinds and mood ticked), shown once."""
    page.goto(site.base + "/settings/sharing")
    page.get_by_label("Who is it for?").fill("Sam, my sponsor")
    page.get_by_label("Kinds of kindness").check()
    page.get_by_label("How my mood changed").check()
    page.get_by_role("button", name="Make the link").click()
    page.locator("#link-value").wait_for()


def shared_view(page, site: Site) -> None:
    """A new link (kinds and mood ticked) opened as the supporter would see it."""
    share_link_made(page, site)
    link = page.locator("#link-value").inner_text().strip()
    page.goto(site.base + link[link.index("/s/") :])


def break_started(page, site: Site) -> None:
    """A week's break started (or changed) in Settings, then Today with its card."""
    page.goto(site.base + "/settings/rest")
    page.check("input[name=length][value='7']")
    page.locator("form[action='/settings/rest'] button[type=submit]").click()
    page.wait_for_url("**/settings/rest")
    page.goto(site.base + "/")


def break_ended(page, site: Site) -> None:
    page.goto(site.base + "/settings/rest")
    page.get_by_role("button", name="End my break").click()
    page.wait_for_url("**/settings/rest?ended=1")


def scroll_to_end(page) -> None:
    page.evaluate(SCROLL_TO_END)


# In the order they are taken: Robin's pages before the moments that add to his history.
SHOTS = [
    Shot("today", "robin", visit("/")),
    Shot("articles", "robin", visit("/articles")),
    Shot("article", "robin", visit("/articles/{site.article}")),
    Shot("article-end", "robin", visit("/articles/{site.article}"), scroll_to_end, False),
    Shot("help", "robin", visit("/help")),
    Shot("progress", "robin", visit("/progress")),
    Shot("progress-last-month", "robin", progress_last_month),
    Shot("acts", "robin", visit("/acts")),
    Shot("act", "robin", visit("/acts/{site.act_id}")),
    Shot("settings", "robin", visit("/settings")),
    Shot("settings-reminders", "robin", visit("/settings/reminders")),
    Shot("snooze", "robin", visit("/reminders/snooze")),
    Shot("account", "robin", visit("/account")),
    Shot("account-advanced", "robin", advanced_open),
    Shot("account-tokens", "robin", visit("/account/tokens")),
    Shot("account-delete", "robin", visit("/account/delete")),
    Shot("privacy", "robin", visit("/privacy")),
    Shot("about", "robin", visit("/about")),
    Shot("sign-in", "new", visit("/account/sign-in")),
    Shot("claim", "new", visit("/account/claim")),
    Shot("offline", "robin", visit("/offline")),
    Shot("not-found", "robin", visit("/no-such-page")),
    Shot("after-tap", "robin", after_tap, keep_undo),
    Shot("double-tap", "robin", double_tap, keep_undo_and_question),
    Shot("article-logged", "robin", article_logged, show_try_today, False),
    Shot("offline-tap", "offline", offline_tap),
    Shot("offline-progress", "offline", progress_offline),
    # Still offline: the history from the service worker's copy, with that tap waiting.
    Shot("offline-acts", "offline", visit("/acts")),
    Shot("offline-details", "offline", offline_details, keep_undo),
    Shot("act-moods", "robin", moods_chosen),
    Shot("deleted", "robin", deleted_with_undo, keep_undo, False),
    Shot("kindness-today", "robin", kindness_day_today),
    Shot("kindness-days", "robin", visit("/settings/kindness-days")),
    Shot("kindness-progress", "robin", visit("/progress")),
    Shot("kindness-reminders", "robin", visit("/settings/reminders#kindness_only")),
    Shot("day", "robin", visit("/settings/day")),
    Shot("sharing", "robin", share_link_made),
    Shot("shared", "robin", shared_view),
    Shot("rest", "robin", visit("/settings/rest")),
    Shot("resting-today", "robin", break_started),
    Shot("resting", "robin", visit("/settings/rest")),
    Shot("rest-ended", "robin", break_ended),
    Shot("empty-today", "new", visit("/")),
    Shot("empty-progress", "new", visit("/progress")),
    Shot("empty-acts", "new", visit("/acts")),
    Shot("empty-account", "new", visit("/account")),
    Shot("empty-tokens", "new", visit("/account/tokens")),
]
NAMES = [shot.name for shot in SHOTS]

# Common phone screens (CSS pixels); other widths get a typical phone's proportions.
HEIGHTS = {320: 568, 360: 780, 375: 667, 390: 844, 393: 852, 412: 915, 414: 896, 430: 932}


def height_for(width: int) -> int:
    return HEIGHTS.get(width, round(width * 2.16))


def take(page, shot: Shot, site: Site, widths, themes, out: Path) -> list[Path]:
    """The shot at every width and theme; returns the files written."""
    shot.prepare(page, site)
    files = []
    for width in widths:
        for theme in themes:
            page.set_viewport_size({"width": width, "height": height_for(width)})
            page.emulate_media(color_scheme=theme)
            if shot.settle:
                shot.settle(page)
            page.evaluate(TRANSITIONS_DONE)
            if shot.full_page:
                # Chromium's full-page capture leaves position:fixed parts (the tab bar) where
                # the phone's screen ended, floating mid-page. A screen as tall as the page
                # puts them where a reader who scrolled to the end sees them.
                tall = page.evaluate("document.documentElement.scrollHeight")
                page.set_viewport_size({"width": width, "height": max(tall, height_for(width))})
            file = out / f"{width}-{theme}-{shot.name}.png"
            page.screenshot(path=file)
            files.append(file)
    return files
