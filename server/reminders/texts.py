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


@dataclass(frozen=True)
class Message:
    id: str
    title: str
    body: str
    url: str = TAP_URL
    tag: str = TAG

    def payload(self) -> str:
        """The JSON the service worker turns into a notification."""
        return json.dumps(
            {"title": self.title, "body": self.body, "url": self.url, "tag": self.tag}
        )


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


def compose(rng: random.Random | None = None, tag: str = TAG) -> Message:
    """A warm, varied message: a random text, its ``{idea}`` filled with a random idea."""
    rng = rng or random.Random()
    item = rng.choice(reminder_texts())
    body = item["body"].replace("{idea}", random_idea(rng))
    return Message(id=item["id"], title=item["title"], body=body, tag=tag)
