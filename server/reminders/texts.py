"""Reminder texts from content/reminders.yaml, with ``{idea}`` filled from content/ideas.yaml."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import cache

import yaml

from server.settings import ROOT

TAP_URL = "/#log"
TAG = "lifted-reminder"
TEST_TAG = "lifted-test"
DONE = "done"  # the notification action that logs an act (sw.js)
SNOOZE = "snooze"  # the notification action that asks again in an hour (sw.js)
SNOOZE_URL = "/reminders/snooze"
# For lock screens others can see: nothing about mental health, recovery or kindness.
DISCREET_TITLE = "Lifted"
DISCREET_BODY = "A gentle nudge from Lifted."


@dataclass(frozen=True)
class Message:
    id: str
    title: str
    body: str
    url: str = TAP_URL
    tag: str = TAG
    badge: bool = True  # False once an act is logged that day

    def payload(self, origin: str) -> str:
        """Declarative Web Push (``"web_push": 8030``): Safari 18.4+ shows it even without a
        service worker; Chromium and Firefox hand it to ours (sw.js), which shows the same
        notification with an "I did one" action. ``navigate`` must be absolute: ``origin`` is
        the app's base URL. A badge of 1 says today's reminder is waiting (never a count)."""
        navigate = origin.rstrip("/") + self.url
        notification = {
            "title": self.title,
            "body": self.body,
            "navigate": navigate,
            "tag": self.tag,
            "lang": "en",
            "dir": "ltr",
            "silent": False,
        }
        if self.id == "discreet":  # sw.js words its own confirmations as plainly
            notification["data"] = {"discreet": True}
        message = {"web_push": 8030, "notification": notification, "mutable": True}
        if self.tag != TEST_TAG:  # a test reminder logs nothing and leaves no badge
            snooze = origin.rstrip("/") + SNOOZE_URL
            notification["actions"] = [
                {"action": DONE, "title": "I did one", "navigate": navigate},
                # Without our service worker (Safari's declarative display), a page that asks.
                {"action": SNOOZE, "title": "Snooze 1 hour", "navigate": snooze},
            ]
            if self.badge:
                message["app_badge"] = 1
        return json.dumps(message)


@cache
def reminder_texts() -> tuple[dict, ...]:
    items = yaml.safe_load((ROOT / "content" / "reminders.yaml").read_text())
    return tuple(item for item in items if item.get("title") and item.get("body"))


@cache
def idea_texts() -> tuple[str, ...]:
    items = yaml.safe_load((ROOT / "content" / "ideas.yaml").read_text())
    return tuple(item["text"] for item in items if item.get("text"))


def random_idea(rng: random.Random | None = None) -> str:
    return (rng or random).choice(idea_texts())


def compose(
    rng: random.Random | None = None, tag: str = TAG, discreet: bool = False, badge: bool = True
) -> Message:
    """A warm, varied message: a random text, its ``{idea}`` filled with a random idea; or,
    ``discreet``, the one plain line that tells an onlooker nothing."""
    if discreet:
        return Message("discreet", DISCREET_TITLE, DISCREET_BODY, tag=tag, badge=badge)
    rng = rng or random.Random()
    item = rng.choice(reminder_texts())
    body = item["body"].replace("{idea}", random_idea(rng))
    return Message(id=item["id"], title=item["title"], body=body, tag=tag, badge=badge)
