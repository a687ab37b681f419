"""The supportive message that compose pages keep ready (hidden until the risk check matches)
carries the writer's own safety plan, as the one shown after sending does: on the Wall there is
no next page, so this is where the plan has to be."""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse

from community.models import SafetyPlan
from forums.models import Category
from moderation.models import RiskPhrase
from tests.html import elements, parse, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(talking):
    return Category.objects.create(space=talking, name="Staying well", slug="staying-well")


def composing_panel(page):
    panels = [section for section in elements(parse(page), "section")
              if section.get("id") == "risk-support"]
    assert len(panels) == 1
    assert panels[0].get("hidden") is not None, "hidden until the check matches"
    return text_of(panels[0])


@pytest.mark.parametrize("page_name", ["new_thread", "wall"])
def test_the_composing_panel_holds_the_writers_safety_plan(client_for, people, category,
                                                           page_name):
    SafetyPlan.objects.create(user=people["member"], reasons_for_living="Walks with my sister")
    url = reverse("forums:new_thread", args=["talking-therapies", category.slug]) \
        if page_name == "new_thread" else reverse("wall:wall", args=["talking-therapies"])
    panel = composing_panel(client_for(people["member"]).get(url))
    assert "Walks with my sister" in panel and "You haven't written" not in panel


def test_without_a_plan_the_composing_panel_offers_to_write_one(client_for, people, category):
    url = reverse("forums:new_thread", args=["talking-therapies", category.slug])
    panel = composing_panel(client_for(people["member"]).get(url))
    assert "You haven't written a safety plan yet." in panel


def test_a_page_with_both_panels_repeats_no_id(client_for, people, category, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    RiskPhrase.objects.get_or_create(phrase="hopeless", defaults={"tier": "medium"})
    client = client_for(people["member"])
    page = client.post(reverse("forums:new_thread", args=["talking-therapies", category.slug]),
                       {"title": "Low", "body": "Feeling hopeless"}, follow=True)
    tree = parse(page)
    assert "It sounds like things are really hard right now" in text_of(tree)
    ids = Counter(element.get("id") for element in tree.iter() if element.get("id"))
    assert [name for name, count in ids.items() if count > 1] == []
    for section in elements(tree, "section"):
        if section.get("aria-labelledby"):
            assert ids[section.get("aria-labelledby")] == 1
