"""The tracker's words: categories, confirmations and the "Need an idea?" deck.

Read once from content/*.yaml when this module is imported. A malformed file stops the app at
start with a message naming the file, rather than failing later in front of a reader.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from server.settings import ROOT

CONTENT = ROOT / "content"


class ContentError(Exception):
    """A content file cannot be used; the message names the file and what is wrong."""


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


def _load(path: Path) -> list[Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot be read as YAML ({exc})") from exc
    if not isinstance(data, list) or not data:
        raise ContentError(f"{path}: expected a non-empty list")
    return data


def _fields(path: Path, index: int, item: Any, names: tuple[str, ...]) -> dict[str, str]:
    if not isinstance(item, dict):
        raise ContentError(f"{path}: item {index + 1} should be a mapping with {names}")
    values = {}
    for name in names:
        value = item.get(name)
        if not isinstance(value, str) or not value.strip():
            raise ContentError(f"{path}: item {index + 1} needs a text '{name}'")
        values[name] = value.strip()
    return values


def load_categories(path: Path) -> tuple[Category, ...]:
    categories = tuple(
        Category(**_fields(path, i, item, ("id", "label"))) for i, item in enumerate(_load(path))
    )
    ids = [c.id for c in categories]
    if len(set(ids)) != len(ids):
        raise ContentError(f"{path}: category ids must be unique")
    if any(len(i) > 32 for i in ids):
        raise ContentError(f"{path}: category ids must be at most 32 characters")
    return categories


def load_confirmations(path: Path) -> tuple[str, ...]:
    lines = _load(path)
    for index, line in enumerate(lines):
        if not isinstance(line, str) or not line.strip():
            raise ContentError(f"{path}: item {index + 1} should be a line of text")
    return tuple(line.strip() for line in lines)


def load_ideas(path: Path, categories: set[str], articles: Path) -> tuple[Idea, ...]:
    names = ("id", "text", "category", "article")
    ideas = tuple(Idea(**_fields(path, i, item, names)) for i, item in enumerate(_load(path)))
    for idea in ideas:
        if idea.category not in categories:
            raise ContentError(f"{path}: idea '{idea.id}' has unknown category '{idea.category}'")
        if not (articles / f"{idea.article}.md").is_file():
            raise ContentError(f"{path}: idea '{idea.id}' links a missing article '{idea.article}'")
    if len({i.id for i in ideas}) != len(ideas):
        raise ContentError(f"{path}: idea ids must be unique")
    return ideas


CATEGORIES = load_categories(CONTENT / "categories.yaml")
CATEGORY_LABELS = {c.id: c.label for c in CATEGORIES}
CONFIRMATIONS = load_confirmations(CONTENT / "confirmations.yaml")
IDEAS = load_ideas(CONTENT / "ideas.yaml", set(CATEGORY_LABELS), CONTENT / "articles")


def confirmation_for(act_id: Any) -> str:
    """A confirmation that varies between acts but is the same for one act, so a retried tap
    gets exactly the answer the first one got."""
    digest = hashlib.sha256(str(act_id).encode()).digest()
    return CONFIRMATIONS[int.from_bytes(digest[:4], "big") % len(CONFIRMATIONS)]
