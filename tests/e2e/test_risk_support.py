"""Journey 4, in a real browser: a member writes something the risk check matches, in the forums
and on the Wall, and sees the supportive message with urgent help and their own safety plan."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from community import plans
from forums import services as forum_services
from forums.models import Category
from tests.e2e.conftest import audit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e, pytest.mark.server]

SUPPORT_HEADING = "It sounds like things are really hard right now"
REASONS = "My sister Jo, and walking Biscuit on the beach"
WARNING_SIGNS = "Not sleeping, skipping meals"


@pytest.fixture
def member_with_a_safety_plan(people):
    member = people["member"]
    plans.safety_plan_save(user=member, shared_with_team=False, warning_signs=WARNING_SIGNS,
                           reasons_for_living=REASONS)
    return member


@pytest.fixture
def thread(people, talking):
    category = Category.objects.create(space=talking, name="Staying well", slug="staying-well")
    return forum_services.thread_create(
        author=people["clinician"], category=category, title="How is your week going?",
        body="Tell us one thing that went well, and one that was hard.",
    )


def expect_support_with_plan(panel) -> None:
    expect(panel.get_by_role("heading", name=SUPPORT_HEADING)).to_be_visible()
    plan = panel.locator(".harbour-safety-plan")
    expect(plan.get_by_role("heading", name="Your safety plan")).to_be_visible()
    expect(plan).to_contain_text(REASONS)
    expect(plan).to_contain_text(WARNING_SIGNS)
    expect(panel.get_by_role("link", name="999")).to_have_attribute("href", "tel:999")
    expect(panel.get_by_role("link", name="116 123")).to_have_attribute("href", "tel:116123")
    expect(panel.get_by_role("link", name="See all urgent help contacts")).to_be_visible()


def test_a_risk_match_in_the_forums_shows_support_urgent_help_and_the_safety_plan(
        open_browser, member_with_a_safety_plan, thread, risk_phrases, crisis_contacts):
    page = open_browser(member_with_a_safety_plan)
    page.goto(f"/forums/t/{thread.pk}/")
    audit(page, "thread-reply-form")

    # While they write, the check finds the words, and support appears above the form.
    page.get_by_label("Your reply").fill("Honestly this week I feel hopeless.")
    composing = page.locator("#risk-support")
    expect(composing).to_be_visible()
    expect_support_with_plan(composing)

    # After sending, the page that follows opens with the supportive message.
    page.get_by_role("button", name="Post reply").click()
    panel = page.get_by_role("alert").filter(has_text=SUPPORT_HEADING)
    expect(panel).to_be_visible()
    expect_support_with_plan(panel)
    audit(page, "support-message")

    panel.get_by_role("link", name="See all urgent help contacts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Urgent help")
    expect(page.get_by_text("Samaritans").first).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("116 123")).first).to_be_visible()
    audit(page, "urgent-help")
    assert not page.console_errors, page.console_errors


def test_a_risk_match_on_the_wall_shows_support_and_the_safety_plan_at_once(
        open_browser, member_with_a_safety_plan, risk_phrases, wall_open_all_day):
    page = open_browser(member_with_a_safety_plan)
    page.goto("/spaces/talking-therapies/wall/")
    expect(page.locator("#wall-connection")).to_have_text("Connection: live")
    page.get_by_label("Your message").fill("I want to die")
    page.get_by_role("button", name="Send", exact=True).click()

    # High tier: the message waits for a moderator, visible only to its writer, and support
    # appears on the same page (the Wall has no next page).
    mine = page.locator("#wall-messages > li", has_text="I want to die")
    expect(mine).to_contain_text("Waiting for a moderator: only you can see it")
    panel = page.locator("#risk-support")
    expect(panel).to_be_visible()
    expect_support_with_plan(panel)
    audit(page, "wall-support")
    assert not page.console_errors, page.console_errors
