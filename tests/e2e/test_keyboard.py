"""Keyboard only: joining with an invitation, then starting a thread and posting on the Wall,
with Tab, arrow keys, Space, Enter and typing; never a click."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community import services as core_services
from community.models import Role
from forums.models import Category
from tests.e2e.conftest import audit, confirmation_link

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e, pytest.mark.server]

MAX_TABS = 120


def tab_to(page, target) -> None:
    """Press Tab until `target` has the focus, as someone without a mouse would, and check the
    focus can be seen (nhsuk-frontend draws it as an outline, a shadow or a yellow background)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            break
    else:
        raise AssertionError(f"Tab never reached {target}")
    visible = target.evaluate("""element => {
        const seen = (style) => style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
            || style.boxShadow !== "none" || style.backgroundColor === "rgb(255, 235, 59)";
        const label = element.labels && element.labels[0];
        return seen(getComputedStyle(element)) || (label && (
            seen(getComputedStyle(label, "::before")) || seen(getComputedStyle(label, "::after"))));
    }""")
    assert visible, f"no visible focus on {target}"


def type_into(page, target, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


@pytest.fixture
def invitation_code(people, talking):
    _, code = core_services.invitation_create(
        created_by=people["clinician"], role=Role.MEMBER, spaces=[talking],
        expires_at=timezone.now() + timedelta(days=14), therapy_completed="ipt", label="K.",
    )
    return code


def test_joining_and_posting_with_the_keyboard_alone(server, open_browser, people, talking,
                                                     invitation_code, wall_open_all_day):
    Category.objects.create(space=talking, name="Introductions", slug="introductions")
    page = open_browser()
    page.goto(f"/join/{invitation_code}/")  # the link, typed or opened from a message

    # The first Tab reaches "Skip to main content", which jumps past the header.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")

    type_into(page, page.get_by_label("First name"), "Kit")
    type_into(page, page.get_by_label("Last name"), "Marlowe")
    type_into(page, page.get_by_label("Email address"), "kit@example.org")
    type_into(page, page.get_by_label("Display name"), "Harbour Light")
    tab_to(page, page.get_by_label("Lighthouse"))  # the one chosen already
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Sailing boat")).to_be_checked()
    type_into(page, page.get_by_label("Password"), "quiet-keys-and-calm-seas-9")
    tab_to(page, page.get_by_label("I have read the community agreement and I agree to it"))
    page.keyboard.press("Space")
    expect(page.get_by_label("I have read the community agreement and I agree to it")) \
        .to_be_checked()
    printed = server.mark()
    tab_to(page, page.get_by_role("button", name="Join"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("email")

    page.goto(confirmation_link(server, since=printed))
    expect(page.get_by_text("Welcome to Harbour, Harbour Light.")).to_be_visible()

    # A first thread, from the home page, by keyboard.
    tab_to(page, page.get_by_role("link", name="Forums", exact=True))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name="Introductions"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name="Start a thread"))
    page.keyboard.press("Enter")
    type_into(page, page.get_by_label("Title"), "Hello, typed without a mouse")
    type_into(page, page.get_by_label("Your post"), "IPT helped. Looking forward to talking.")
    tab_to(page, page.get_by_role("button", name="Post thread"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, typed without a mouse")
    expect(page.get_by_text("IPT helped. Looking forward to talking.")).to_be_visible()

    # And a message on the Wall, reached from the home page.
    tab_to(page, page.get_by_role("link", name="Home", exact=True))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name="Talking Therapies Wall"))
    page.keyboard.press("Enter")
    expect(page.locator("#wall-connection")).to_have_text("Connection: live")
    type_into(page, page.get_by_label("Your message"), "Hello Wall, from my keyboard")
    tab_to(page, page.get_by_role("button", name="Send", exact=True))
    page.keyboard.press("Enter")
    expect(page.locator("#wall-messages > li", has_text="Hello Wall, from my keyboard")) \
        .to_have_count(1)
    audit(page, "wall-keyboard")
    assert not page.console_errors, page.console_errors
