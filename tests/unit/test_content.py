"""The checks every content file goes through (server/content.py): a bad file is named, with
the line or the item that is wrong, whichever feature reads it."""

from __future__ import annotations

import pytest

from server.acts import content as acts_content
from server.articles import content as articles_content
from server.content import ContentError, read_yaml_items


def test_both_features_raise_the_one_error_the_command_line_catches():
    assert acts_content.ContentError is articles_content.ContentError is ContentError


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- id: a\n  text: [unclosed\n", "is not valid YAML on line 3"),
        ("id: a\ntext: b\n", "expected a non-empty list"),
        ("- id: a\n  text: b\n- id: c\n", "idea 2 needs a text 'text'"),
        ("- id: a\n  text: '  '\n", "idea 1 needs a text 'text'"),
        ("- just a line\n", "idea 1 should be a mapping with id, text"),
    ],
)
def test_a_bad_list_names_the_file_and_the_place(tmp_path, text, problem):
    path = tmp_path / "ideas.yaml"
    path.write_text(text)
    with pytest.raises(ContentError) as caught:
        read_yaml_items(path, ("id", "text"), "idea")
    assert str(caught.value).startswith(f"{path}: ") and problem in str(caught.value)


def test_a_missing_file_is_named_in_plain_words(tmp_path):
    with pytest.raises(ContentError, match="ideas.yaml: cannot be read"):
        read_yaml_items(tmp_path / "ideas.yaml", ("id",))


def test_the_library_names_a_broken_ideas_file(tmp_path):
    (tmp_path / "ideas.yaml").write_text("- id: a\n")
    with pytest.raises(ContentError, match=r"ideas\.yaml: idea 1 needs a text 'text'"):
        articles_content.load_library(tmp_path)
