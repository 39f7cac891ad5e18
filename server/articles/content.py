"""The reading library, loaded from content/ once at start: articles, help text and ideas.

Reading needs no database: every article is parsed, checked and rendered to HTML when the app
is created, so a malformed file stops start-up with a message naming the file and the problem
(``ContentError``) instead of failing later for one reader.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from server.articles.help import HelpPage, parse_help
from server.content import ContentError, parse_yaml, read_yaml_items, text_fields

# The fixed set of topics, in the order the library's filter shows them.
TOPICS = {
    "mental-health": "Mental health",
    "recovery": "Recovery",
    "science": "Science",
    "connection": "Connection",
    "practice": "Practice",
}
REQUIRED = ("title", "slug", "summary", "topics", "order", "reflection", "idea")
WORDS_PER_MINUTE = 220
# Leftovers of the copy-paste the articles came from; seeing one means an edit went wrong.
ARTEFACTS = (re.compile(r"^\s*4o\s*$", re.M), re.compile(r"Leave a Reply", re.I))

# html=False: any raw HTML in an article is shown as text, never run or styled.
_markdown = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable("replacements")


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    summary: str
    topics: tuple[str, ...]
    order: int
    reflection: str
    idea: str
    idea_text: str
    headings: tuple[str, ...]
    html: str
    minutes: int

    @property
    def url(self) -> str:
        return f"/articles/{self.slug}"

    @property
    def topic_labels(self) -> list[tuple[str, str]]:
        return [(topic, TOPICS[topic]) for topic in self.topics]


@dataclass(frozen=True)
class Library:
    articles: tuple[Article, ...]
    help: HelpPage
    digest: str

    def get(self, slug: str) -> Article | None:
        return next((a for a in self.articles if a.slug == slug), None)

    def neighbours(self, slug: str) -> tuple[Article | None, Article | None]:
        index = [a.slug for a in self.articles].index(slug)
        previous = self.articles[index - 1] if index > 0 else None
        following = self.articles[index + 1] if index + 1 < len(self.articles) else None
        return previous, following

    def with_topic(self, topic: str | None) -> list[Article]:
        return [a for a in self.articles if topic is None or topic in a.topics]

    def precache_urls(self) -> list[str]:
        # Each topic's list too, so the filter still works offline.
        topics = [f"/articles?topic={topic}" for topic in TOPICS]
        return ["/articles", *topics, *(a.url for a in self.articles), "/help", "/about"]


def split_front_matter(path: Path, text: str) -> tuple[dict, str]:
    """The YAML between the opening ``---`` lines, and the Markdown after it."""
    match = re.match(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n(.*)\Z", text, re.S)
    if not match:
        raise ContentError(path, "no front matter: the file must start with a '---' block")
    meta = parse_yaml(path, match.group(1), "front matter", first_line=2)  # after the '---'
    if not isinstance(meta, dict):
        raise ContentError(path, "front matter must be a set of 'key: value' lines")
    return meta, match.group(2)


def reading_minutes(markdown: str) -> int:
    words = len(re.findall(r"[\w’'-]+", markdown))
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def _check_body(path: Path, body: str) -> tuple[str, ...]:
    """The section headings, after checking each has text under it and nothing is left over."""
    if not body.strip():
        raise ContentError(path, "the article has no text")
    for pattern in ARTEFACTS:
        if found := pattern.search(body):
            raise ContentError(path, f"leftover text {found.group(0).strip()!r} in the article")
    tokens = _markdown.parse(body)
    headings: list[str] = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        title = tokens[index + 1].content
        if token.tag == "h1":
            raise ContentError(path, f"heading {title!r} uses '#': the title is the only h1")
        following = tokens[index + 3] if index + 3 < len(tokens) else None
        # A section may open straight into its first subsection (## then ###), never into
        # a heading of its own level or above.
        if following is None or (following.type == "heading_open" and following.tag <= token.tag):
            raise ContentError(path, f"heading {title!r} has no text under it")
        headings.append(title)
    return tuple(headings)


def _text(path: Path, meta: dict, key: str) -> str:
    return text_fields(path, meta, (key,), "front matter")[key]


def load_article(path: Path, ideas: dict[str, str]) -> Article:
    meta, body = split_front_matter(path, path.read_text(encoding="utf-8"))
    missing = [key for key in REQUIRED if key not in meta]
    if missing:
        raise ContentError(path, f"front matter is missing {', '.join(missing)}")
    slug = _text(path, meta, "slug")
    if slug != path.stem:
        raise ContentError(path, f"slug {slug!r} must equal the file name {path.stem!r}")
    topics = meta["topics"]
    if not isinstance(topics, list) or not topics:
        raise ContentError(path, "topics must be a non-empty list")
    unknown = [t for t in topics if t not in TOPICS]
    if unknown:
        raise ContentError(path, f"unknown topic {unknown[0]!r}; use one of {', '.join(TOPICS)}")
    order = meta["order"]
    if not isinstance(order, int) or isinstance(order, bool):
        raise ContentError(path, "order must be a whole number")
    idea = _text(path, meta, "idea")
    if idea not in ideas:
        raise ContentError(path, f"idea {idea!r} is not an id in ideas.yaml")
    return Article(
        slug=slug,
        title=_text(path, meta, "title"),
        summary=_text(path, meta, "summary"),
        topics=tuple(dict.fromkeys(topics)),
        order=order,
        reflection=_text(path, meta, "reflection"),
        idea=idea,
        idea_text=ideas[idea],
        headings=_check_body(path, body),
        html=_markdown.render(body),
        minutes=reading_minutes(body),
    )


def load_ideas(path: Path) -> dict[str, str]:
    """Idea ids and texts, for the idea each article closes with."""
    return {item["id"]: item["text"] for item in read_yaml_items(path, ("id", "text"), "idea")}


def load_help(path: Path) -> HelpPage:
    """The help page: crisis lines by region from the front matter (server/articles/help.py),
    and the Markdown body ("While you wait") rendered like an article."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContentError(path, f"cannot read the help page ({exc.strerror})") from None
    meta, body = split_front_matter(path, text)
    if not body.strip():
        raise ContentError(path, "the help page has no text")
    return parse_help(path, meta, _markdown.render(body))


def load_library(content_dir: Path) -> Library:
    """Every article under ``content_dir/articles``, checked, rendered and in reading order."""
    ideas = load_ideas(content_dir / "ideas.yaml")
    paths = sorted((content_dir / "articles").glob("*.md"))
    if not paths:
        raise ContentError(content_dir / "articles", "there are no articles (*.md) here")
    articles = [load_article(path, ideas) for path in paths]
    seen: dict[int, Path] = {}
    for path, article in zip(paths, articles, strict=True):
        if article.order in seen:
            raise ContentError(path, f"order {article.order} is also used by {seen[article.order]}")
        seen[article.order] = path
    help_path = content_dir / "help.md"
    help_page = load_help(help_path)
    digest = hashlib.sha256()
    for path in [*paths, help_path, content_dir / "ideas.yaml"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return Library(
        articles=tuple(sorted(articles, key=lambda a: a.order)),
        help=help_page,
        digest=digest.hexdigest(),
    )
