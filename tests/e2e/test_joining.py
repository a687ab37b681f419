"""Journey 1, in a real browser: a clinician creates an invitation; a new member joins with it,
confirms their email from the link Harbour sends, starts a thread and is told about a reply."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from playwright.sync_api import expect

from forums.models import Category
from tests.conftest import PASSWORD
from tests.e2e.conftest import audit, confirmation_link

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e, pytest.mark.server]

NEW_MEMBER = {
    "first_name": "Rosalind", "last_name": "Pemberton", "email": "rosalind@example.org",
    "display_name": "Evening Tide", "password": "tide-comes-in-slowly-42",
}


@pytest.fixture
def introductions(talking):
    return Category.objects.create(space=talking, name="Introductions", slug="introductions",
                                   description="Say hello.")


def test_a_clinician_invites_a_member_who_joins_starts_a_thread_and_hears_of_a_reply(
        server, open_browser, people, introductions):
    clinician = open_browser(people["clinician"])

    # The clinician creates an invitation for the Talking Therapies space.
    clinician.goto("/invitations/new/")
    expect(clinician.get_by_role("heading", level=1)).to_have_text("Create an invitation")
    audit(clinician, "invitation-form")
    clinician.get_by_label("Member", exact=True).check()
    clinician.get_by_label("Talking Therapies").check()
    clinician.get_by_label("Therapy they completed (optional)").select_option("cbt")
    clinician.get_by_label("A note to recognise it by (optional)").fill("R.P.")
    clinician.get_by_role("button", name="Create invitation").click()
    expect(clinician.get_by_role("heading", level=1)).to_have_text("Invitation created")
    audit(clinician, "invitation-created")
    link = clinician.locator("#invitation-link").inner_text().strip()
    assert link.startswith(f"{server.url}/join/")

    # Someone new opens the link and joins.
    member = open_browser()
    member.goto(link)
    expect(member.get_by_text("You've been invited to join as a member.")).to_be_visible()
    audit(member, "join")
    member.get_by_label("First name").fill(NEW_MEMBER["first_name"])
    member.get_by_label("Last name").fill(NEW_MEMBER["last_name"])
    member.get_by_label("Email address").fill(NEW_MEMBER["email"])
    member.get_by_label("Display name").fill(NEW_MEMBER["display_name"])
    member.get_by_label("Sailing boat").check()
    member.get_by_label("Password").fill(NEW_MEMBER["password"])
    member.get_by_label("I have read the community agreement and I agree to it").check()
    printed = server.mark()
    member.get_by_role("button", name="Join").click()
    expect(member.get_by_role("heading", level=1)).to_contain_text("email")
    audit(member, "join-check-email")

    # The email's link confirms the address and signs them in.
    member.goto(confirmation_link(server, since=printed))
    expect(member.get_by_text(f"Welcome to Harbour, {NEW_MEMBER['display_name']}.")).to_be_visible()
    expect(member.get_by_role("link", name="Talking Therapies", exact=True)).to_be_visible()
    audit(member, "home")

    # They start a thread: as a new member's first post it waits for a moderator.
    member.get_by_role("link", name="Forums", exact=True).click()
    audit(member, "forums")
    member.get_by_role("link", name="Introductions").click()
    audit(member, "category")
    member.get_by_role("link", name="Start a thread").click()
    expect(member).to_have_title("Start a thread – Harbour")
    audit(member, "thread-form")
    member.get_by_label("Title").fill("Hello from a new member")
    member.get_by_label("Your post").fill("I finished CBT last month. Glad to be here.")
    member.get_by_role("button", name="Post thread").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Hello from a new member")
    expect(member.get_by_text("Waiting for a moderator").first).to_be_visible()
    thread_url = member.url

    # The clinician approves it from the thread page and replies.
    clinician.goto(thread_url)
    expect(clinician.get_by_text("I finished CBT last month. Glad to be here.")).to_be_visible()
    clinician.get_by_role("button", name="Approve").click()
    expect(clinician.get_by_text("Waiting for a moderator")).to_have_count(0)
    clinician.get_by_label("Your reply").fill("Welcome, Evening Tide. We're glad you're here.")
    clinician.get_by_role("button", name="Post reply").click()
    expect(clinician.get_by_text("Welcome, Evening Tide. We're glad you're here.")).to_be_visible()
    audit(clinician, "thread-moderator")

    # The member is told: an unread count on every page, and the notification leads to the reply.
    member.goto("/")
    expect(member.get_by_role("link", name=re.compile(r"Notifications 1 unread"))).to_be_visible()
    member.get_by_role("link", name=re.compile("Notifications")).click()
    notice = member.get_by_role("link", name="Dr Willow replied to “Hello from a new member”")
    expect(notice).to_be_visible()
    audit(member, "notifications")
    notice.click()
    expect(member.get_by_text("Welcome, Evening Tide. We're glad you're here.")).to_be_visible()
    audit(member, "thread")

    # They thank the clinician for the reply: the button and its count change in place (the
    # page is not reloaded), and the reaction is there when the page is loaded again.
    welcome = member.locator("article", has_text="We're glad you're here.")
    thanks = welcome.get_by_role("button", name=re.compile(r"^Thank you"))
    expect(thanks).to_have_attribute("aria-pressed", "false")
    member.evaluate("window.harbourNotReloaded = true")
    thanks.click()
    expect(thanks).to_have_attribute("aria-pressed", "true")
    expect(thanks.locator(".harbour-reaction__count")).to_have_text("1")
    assert member.evaluate("window.harbourNotReloaded === true")
    member.reload()
    expect(thanks).to_have_attribute("aria-pressed", "true")
    expect(welcome.get_by_role("button", name=re.compile(r"^I relate"))).to_have_attribute(
        "aria-pressed", "false")
    assert not member.console_errors, member.console_errors
    assert not clinician.console_errors, clinician.console_errors


def test_a_member_signs_in_with_the_form(open_browser, people):
    # The test suite hashes passwords quickly (MD5); the server knows only Django's defaults.
    member = people["member"]
    member.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    member.save(update_fields=["password"])
    page = open_browser()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Harbour: support after talking therapy")
    audit(page, "landing")
    page.locator("main").get_by_role("link", name="Sign in").click()
    audit(page, "sign-in")
    page.get_by_label("Email address").fill("someone@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("The email address or password is not right.")).to_be_visible()
    audit(page, "sign-in-error")
    page.get_by_label("Email address").fill(member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome back, Quiet Harbour")
    assert not page.console_errors, page.console_errors
