"""Every article in content/ is complete and clean, and a broken one stops start-up by name."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from server.app import create_app
from server.articles.content import (
    TOPICS,
    ContentError,
    load_library,
    reading_minutes,
    split_front_matter,
)
from server.settings import ROOT, Settings

CONTENT = ROOT / "content"
ARTICLES = sorted((CONTENT / "articles").glob("*.md"))
# The ten titles of the seed articles (shared/seeds), copied here so CI needs nothing beside us.
SEED_TITLES = {
    "How Practicing Selflessness Can Improve Well-being in Those Facing Mental Health Challenges",
    "The Role of Selfless Acts in Rebuilding Mental Health After Addiction",
    "Altruism and Addiction Recovery: Why Helping Others Can Help Heal Yourself",
    "Healing Through Helping: The Science Behind Selflessness and Mental Wellness",
    "The Connection Between Selflessness and Recovery from Substance Abuse",
    "Selflessness as a Remedy: How Giving Back Helps Heal Mental Health Struggles",
    "From Isolation to Connection: The Role of Selflessness in Overcoming Addiction",
    "How Acts of Selflessness Can Break the Cycle of Mental Illness and Addiction",
    "The Healing Power of Selflessness: A Path to Recovery from Addiction",
    "Altruism as Therapy: Exploring the Link Between Selflessness and Mental Health Improvement",
}
IDEAS = {item["id"] for item in yaml.safe_load((CONTENT / "ideas.yaml").read_text())}


def front_matter(path):
    return split_front_matter(path, path.read_text(encoding="utf-8"))


def test_every_seed_title_is_an_article():
    titles = {front_matter(path)[0]["title"] for path in ARTICLES}
    assert titles == SEED_TITLES


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_front_matter_is_complete_and_valid(path):
    meta, body = front_matter(path)
    for key in ("title", "summary", "reflection"):
        assert isinstance(meta[key], str) and len(meta[key].strip()) > 10, key
    assert meta["slug"] == path.stem
    assert meta["topics"] and set(meta["topics"]) <= set(TOPICS)
    assert isinstance(meta["order"], int)
    assert meta["idea"] in IDEAS
    assert meta["reflection"].rstrip().endswith("?")


def test_slugs_and_order_are_unique():
    metas = [front_matter(path)[0] for path in ARTICLES]
    assert len({m["slug"] for m in metas}) == len(ARTICLES) == 10
    assert sorted(m["order"] for m in metas) == list(range(1, 11))


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_every_heading_has_text_and_no_leftovers(path):
    _, body = front_matter(path)
    tokens = MarkdownIt("commonmark").parse(body)
    kinds = [t.type for t in tokens]
    assert kinds and kinds[0] == "paragraph_open", "an article opens with text"
    for index, kind in enumerate(kinds):
        if kind == "heading_open":
            assert tokens[index].tag != "h1"
            # Text follows, or the section's first subsection (## then ###).
            following = tokens[index + 3] if index + 3 < len(tokens) else None
            assert following is not None, tokens[index + 1].content
            if following.type == "heading_open":
                assert following.tag > tokens[index].tag, tokens[index + 1].content
    lines = [line.strip() for line in body.splitlines()]
    assert "4o" not in lines
    assert "leave a reply" not in body.lower()
    assert "<" not in body, "raw HTML in an article would be shown as text"


def test_library_loads_in_reading_order_with_help():
    library = load_library(CONTENT)
    assert [a.order for a in library.articles] == list(range(1, 11))
    assert all(a.minutes >= 1 and a.html.startswith("<p>") for a in library.articles)
    assert library.help.title == "Need help now?" and "While you wait" in library.help.html
    assert "988" in [line.number for region in library.help.regions for line in region.lines]


def article_words(path) -> str:
    """An article's title and text without its Markdown markup (heading marks, bold), with
    whitespace collapsed: what must never change when only the markup does."""
    meta, body = front_matter(path)
    text = re.sub(r"(?m)^[ \t]*#{1,6}[ \t]+", "", body).replace("**", "").replace("__", "")
    return meta["title"] + "\n" + " ".join(text.split())


def test_every_articles_words_are_the_customers_own():
    """Only markup may change (numbered list items became headings): the words, numbers and
    punctuation stay exactly as in the texts the customer gave (article_text.json holds each
    article's words as they were before any markup changed)."""
    originals = json.loads((Path(__file__).parent / "article_text.json").read_text("utf-8"))
    assert set(originals) == {path.stem for path in ARTICLES}
    for path in ARTICLES:
        assert article_words(path) == originals[path.stem], path.stem


def test_numbered_section_heads_are_headings():
    library = load_library(CONTENT)
    for slug, first in (
        ("breaking-the-cycle", "1. Creating Purpose and Meaning"),
        ("isolation-to-connection", "1. Rebuilding Relationships"),
        ("selflessness-and-recovery", "1. Restoring Purpose and Meaning"),
    ):
        article = library.get(slug)
        assert first in article.headings, slug
        assert f"<h3>{first}</h3>" in article.html and "<ol>" not in article.html, slug


def test_reading_time_comes_from_the_text():
    assert reading_minutes("word " * 10) == 1
    assert reading_minutes("word " * 440) == 2
    assert reading_minutes("word " * 1000) == 5


@pytest.fixture
def content_copy(tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    return copy


def _edit(copy, slug, old, new):
    path = copy / "articles" / f"{slug}.md"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path


BREAKAGES = [
    ("title: ", "titel: ", "missing title"),
    ("topics: [", "topics: [sadness, ", "unknown topic 'sadness'"),
    ("slug: healing-through-helping", "slug: healing", "must equal the file name"),
    ("order: 4", "order: [4", "not valid YAML"),
    ("idea: thoughtful-message", "idea: no-such-idea", "not an id in ideas.yaml"),
    ("## Shifting the Focus Outward\n", "## Shifting the Focus Outward\n\n## Empty\n", "no text"),
    ("## Shifting the Focus Outward\n", "### Sub\n\n## Shifting the Focus Outward\n", "no text"),
    ("## Shifting the Focus Outward\n", "## Shifting the Focus Outward\n\n4o\n", "'4o'"),
    ("---\ntitle", "title", "no front matter"),
]


@pytest.mark.parametrize(("old", "new", "problem"), BREAKAGES, ids=[b[2] for b in BREAKAGES])
def test_malformed_article_names_the_file_and_problem(content_copy, old, new, problem):
    path = _edit(content_copy, "healing-through-helping", old, new)
    with pytest.raises(ContentError) as caught:
        load_library(content_copy)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)


def test_raw_html_is_escaped(content_copy):
    _edit(
        content_copy,
        "healing-through-helping",
        "## The Science",
        "<script>x()</script>\n\n## The Science",
    )
    article = load_library(content_copy).get("healing-through-helping")
    assert "<script>" not in article.html and "&lt;script&gt;" in article.html


def test_create_app_fails_fast_on_a_malformed_article(content_copy, tmp_path):
    _edit(content_copy, "breaking-the-cycle", "summary:", "sumary:")
    settings = Settings.from_env(
        {"LIFTED_DATA_DIR": str(tmp_path / "data"), "LIFTED_CONTENT_DIR": str(content_copy)}
    )
    with pytest.raises(
        ContentError, match="breaking-the-cycle.md: front matter is missing summary"
    ):
        create_app(settings)


def test_serve_refuses_a_malformed_article_in_one_line(content_copy, tmp_path):
    _edit(content_copy, "breaking-the-cycle", "topics: [", "topics: [nope, ")
    result = subprocess.run(
        [sys.executable, "-m", "server", "serve", "--no-migrate"],
        cwd=ROOT,
        env={
            **os.environ,
            "LIFTED_DATA_DIR": str(tmp_path),
            "LIFTED_CONTENT_DIR": str(content_copy),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "breaking-the-cycle.md: unknown topic 'nope'" in lines[0]


def test_content_dir_setting_must_hold_articles(tmp_path):
    from server.settings import SettingsError

    with pytest.raises(SettingsError, match="^LIFTED_CONTENT_DIR:"):
        Settings.from_env({"LIFTED_DATA_DIR": str(tmp_path), "LIFTED_CONTENT_DIR": str(tmp_path)})
    default = Settings.from_env({"LIFTED_DATA_DIR": str(tmp_path)})
    assert default.content_dir == CONTENT


def test_todays_reading_stays_all_day_and_moves_on_through_the_unread():
    from server.articles.setup import choose

    articles = load_library(CONTENT).articles
    day = 739_000
    first, all_read = choose(articles, set(), day)
    assert choose(articles, set(), day) == (first, False) and not all_read
    assert choose(articles, set(), day + 1)[0] != first
    finished = {a.slug for a in articles[:-2]}
    seen = {choose(articles, finished, d)[0].slug for d in range(day, day + 4)}
    assert seen == {a.slug for a in articles[-2:]}
    everything = {a.slug for a in articles}
    article, all_read = choose(articles, everything, day)
    assert all_read and article in articles
