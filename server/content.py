"""Reading the files under content/ that the app checks at start: one error and the YAML and
text checks that the tracker's words (server/acts/content.py) and the reading library
(server/articles/content.py) share.

A file that cannot be used stops start-up with a message naming the file and the problem,
rather than failing later in front of a reader.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml


class ContentError(Exception):
    """A file under content/ cannot be used; the message names the file and the problem."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def parse_yaml(path: Path, text: str, what: str = "the file", first_line: int = 1) -> Any:
    """``text`` (all of ``path``, or the part of it starting at ``first_line``) as YAML."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" on line {mark.line + first_line}" if mark else ""  # mark.line is 0-based
        reason = getattr(exc, "problem", None) or "cannot be parsed"
        raise ContentError(path, f"{what} is not valid YAML{where}: {reason}") from None


def read_yaml_list(path: Path) -> list[Any]:
    """A YAML file holding a non-empty list."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContentError(path, f"cannot be read ({exc.strerror})") from None
    data = parse_yaml(path, text)
    if not isinstance(data, list) or not data:
        raise ContentError(path, "expected a non-empty list")
    return data


def text_fields(path: Path, item: Any, names: Iterable[str], where: str) -> dict[str, str]:
    """The named fields of a mapping, each non-empty text (stripped). ``where`` says which part
    of the file the mapping is, for the message: "item 3", "front matter"."""
    names = tuple(names)
    if not isinstance(item, dict):
        raise ContentError(path, f"{where} should be a mapping with {', '.join(names)}")
    values = {}
    for name in names:
        value = item.get(name)
        if not isinstance(value, str) or not value.strip():
            raise ContentError(path, f"{where} needs a text '{name}'")
        values[name] = value.strip()
    return values


def read_yaml_items(path: Path, names: Iterable[str], label: str = "item") -> list[dict[str, str]]:
    """A YAML list of mappings, each with the named text fields (``label`` 1, 2, ... in
    messages)."""
    return [
        text_fields(path, item, names, f"{label} {index + 1}")
        for index, item in enumerate(read_yaml_list(path))
    ]
