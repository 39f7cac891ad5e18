"""The design system's colour roles keep their contrast in both themes (web/static/app.css):
text >= 4.5:1 where it is read, graphics and borders that carry meaning >= 3:1, and no two
roles that must be told apart share a colour."""

from __future__ import annotations

import pytest

from server.settings import ROOT
from tests.support import contrast, theme_colours

CSS = (ROOT / "web" / "static" / "app.css").read_text()
THEMES = dict(zip(["light", "dark"], theme_colours(CSS), strict=True))

# (text, background): every pairing the components use for words.
TEXT = [
    ("text", "bg"), ("text", "surface"), ("text", "surface-2"),
    ("muted", "bg"), ("muted", "surface"),
    ("link", "bg"), ("link", "surface"),
    ("on-primary", "primary"), ("primary", "bg"),
    ("danger", "bg"), ("danger", "surface"), ("surface", "danger"),
    ("success", "surface"), ("success", "bg"),
    ("on-help", "help"), ("help", "bg"), ("help", "surface"),
    ("text", "info-soft"), ("text", "success-soft"), ("text", "danger-soft"),
    ("text", "help-soft"),
]  # fmt: skip
# (graphic, background): outlines of fields and secondary buttons, the chart's empty days.
GRAPHICS = [("line-strong", "surface"), ("line-strong", "bg"), ("primary", "surface")]
# Roles a reader must tell apart at a glance: help never looks like an action or an error.
DISTINCT = ["primary", "link", "danger", "success", "help"]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(("fore", "back"), TEXT)
def test_words_are_readable(theme, fore, back):
    colours = THEMES[theme]
    assert contrast(colours[fore], colours[back]) >= 4.5, (theme, fore, back)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(("fore", "back"), GRAPHICS)
def test_meaningful_graphics_stand_out(theme, fore, back):
    colours = THEMES[theme]
    assert contrast(colours[fore], colours[back]) >= 3, (theme, fore, back)


@pytest.mark.parametrize("theme", THEMES)
def test_each_role_has_its_own_colour(theme):
    colours = [THEMES[theme][role].lower() for role in DISTINCT]
    assert len(set(colours)) == len(colours), dict(zip(DISTINCT, colours, strict=True))


def test_the_comment_block_documents_every_component():
    header = CSS.split("*/", 1)[0]
    for component in [".card", ".stack", ".form-row", ".button-row", ".row", ".notice", ".chip"]:
        assert component in header, component
