"""The tracker's words: categories, confirmations and the "Need an idea?" deck.

Read once from content/*.yaml when this module is imported. A malformed file stops the app at
start with a message naming the file, rather than failing later in front of a reader.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from server.content import ContentError, read_yaml_items, read_yaml_list
from server.settings import ROOT

CONTENT = ROOT / "content"


@dataclass(frozen=True)
class Category:
    id: str
    label: str


@dataclass(frozen=True)
class Idea:
    id: str
    text: str
    category: str
    article: str


def load_categories(path: Path) -> tuple[Category, ...]:
    categories = tuple(Category(**fields) for fields in read_yaml_items(path, ("id", "label")))
    ids = [c.id for c in categories]
    if len(set(ids)) != len(ids):
        raise ContentError(path, "category ids must be unique")
    if any(len(i) > 32 for i in ids):
        raise ContentError(path, "category ids must be at most 32 characters")
    return categories


def load_confirmations(path: Path) -> tuple[str, ...]:
    lines = read_yaml_list(path)
    for index, line in enumerate(lines):
        if not isinstance(line, str) or not line.strip():
            raise ContentError(path, f"item {index + 1} should be a line of text")
    return tuple(line.strip() for line in lines)


def load_ideas(path: Path, categories: set[str], articles: Path) -> tuple[Idea, ...]:
    names = ("id", "text", "category", "article")
    ideas = tuple(Idea(**fields) for fields in read_yaml_items(path, names))
    for idea in ideas:
        if idea.category not in categories:
            raise ContentError(path, f"idea '{idea.id}' has unknown category '{idea.category}'")
        if not (articles / f"{idea.article}.md").is_file():
            raise ContentError(path, f"idea '{idea.id}' links a missing article '{idea.article}'")
    if len({i.id for i in ideas}) != len(ideas):
        raise ContentError(path, "idea ids must be unique")
    return ideas


CATEGORIES = load_categories(CONTENT / "categories.yaml")
CATEGORY_LABELS = {c.id: c.label for c in CATEGORIES}
# The one name of an act whose kind was not chosen, wherever a kind is named (history, an
# act's page, Progress's kinds). Plain words: most acts never get a kind, and that's fine.
UNSORTED = "Act of kindness"


def kind_label(category: str | None) -> str:
    """What an act's kind is called: its label, or UNSORTED when none was chosen (or a kind
    since removed from categories.yaml is named by its id rather than hidden)."""
    if not category:
        return UNSORTED
    return CATEGORY_LABELS.get(category, category)


CONFIRMATIONS = load_confirmations(CONTENT / "confirmations.yaml")
IDEAS = load_ideas(CONTENT / "ideas.yaml", set(CATEGORY_LABELS), CONTENT / "articles")


def confirmation_for(act_id: Any) -> str:
    """A confirmation that varies between acts but is the same for one act, so a retried tap
    gets exactly the answer the first one got."""
    digest = hashlib.sha256(str(act_id).encode()).digest()
    return CONFIRMATIONS[int.from_bytes(digest[:4], "big") % len(CONFIRMATIONS)]
