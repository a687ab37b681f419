"""Page titles are plain text: markup left inside a `{% block title %}` ends up in the browser's
tab (and in what screen readers announce first), not on the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.html import elements, parse, text_of

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
TITLE_BLOCK = re.compile(r"{%\s*block title\s*%}(.*?){%\s*endblock", re.S)


@pytest.mark.parametrize("template", sorted(
    str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")))
def test_a_title_block_holds_no_markup(template):
    for title in TITLE_BLOCK.findall((TEMPLATES / template).read_text()):
        assert "<" not in title and "\n" not in title.strip(), (template, title)


def test_quiet_reading_is_on_the_take_a_break_page_not_in_its_title(client_for, people):
    page = client_for(people["member"]).get(reverse("take_a_break"))
    html = parse(page)
    assert text_of(elements(html, "title")[0]) == "Take a break – Harbour"
    assert "Turn quiet reading on" in [text_of(button) for button in elements(html, "button")]
