"""Staying-well plans, the safety plan (private unless shared), and taking a break."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community import plans
from community import services as core_services
from community.models import AuditEntry, Notification, SafetyPlan, StayingWellPlan


def test_the_plan_offers_sections_that_fit_the_therapy(client_for, people):
    people["member"].therapy_completed = "dit"
    people["member"].save()
    page = client_for(people["member"]).get(reverse("staying_well_plan")).content.decode()
    assert "My goodbye letter from DIT" in page and "My IPT maintenance plan" not in page
    client_for(people["member"]).post(reverse("staying_well_plan"), {
        "goodbye_letter": "You noticed how you step back when hurt.",
        "maintenance_plan": "not offered, so not kept"})
    plan = StayingWellPlan.objects.get(user=people["member"])
    assert plan.sections == {"goodbye_letter": "You noticed how you step back when hurt."}


def test_too_long_sections_keep_the_text(client_for, people):
    long = "x" * 8001
    response = client_for(people["member"]).post(reverse("staying_well_plan"),
                                                 {"what_helps": long})
    assert response.status_code == 400 and long in response.content.decode()


def test_a_new_safety_plan_starts_with_urgent_help_contacts(client_for, people):
    page = client_for(people["member"]).get(reverse("safety_plan")).content.decode()
    assert "Samaritans: 116 123" in page


def test_safety_plans_are_private_until_shared_and_unsharing_is_immediate(client_for, people):
    client = client_for(people["member"])
    client.post(reverse("safety_plan"), {"reasons_for_living": "My sister and my dog"})
    team_page = reverse("moderation:member", args=[people["member"].pk])
    assert "My sister and my dog" not in client_for(people["volunteer"]).get(
        team_page).content.decode()
    client.post(reverse("safety_plan"), {"reasons_for_living": "My sister and my dog",
                                         "shared_with_team": "on"})
    assert "My sister and my dog" in client_for(people["volunteer"]).get(
        team_page).content.decode()
    other_space_team = client_for(people["carer"])
    assert other_space_team.get(team_page).status_code == 403
    client.post(reverse("safety_plan"), {"reasons_for_living": "My sister and my dog"})
    assert "My sister and my dog" not in client_for(people["volunteer"]).get(
        team_page).content.decode()
    actions = list(AuditEntry.objects.filter(action__startswith="safety_plan").values_list(
        "action", flat=True))
    assert sorted(actions) == ["safety_plan.share", "safety_plan.unshare"]
    assert all("dog" not in str(entry.detail) for entry in AuditEntry.objects.all())


def test_the_plan_appears_at_the_top_of_the_supportive_message(client_for, people, talking,
                                                               settings):
    from forums.models import Category
    from moderation.models import RiskPhrase

    settings.FORUMS_HOLD_FIRST_POSTS = 0
    RiskPhrase.objects.get_or_create(phrase="hopeless", defaults={"tier": "medium"})
    SafetyPlan.objects.create(user=people["member"], coping_alone="Walk to the park")
    category = Category.objects.create(space=talking, name="Staying well", slug="staying-well")
    response = client_for(people["member"]).post(
        reverse("forums:new_thread", args=[talking.slug, category.slug]),
        {"title": "Low", "body": "Feeling hopeless"}, follow=True)
    page = response.content.decode()
    assert page.index("Walk to the park") < page.index("Get help now")


def test_a_break_hides_badges_and_emails_but_keeps_notifications(client_for, people):
    client = client_for(people["member"])
    tomorrow = (timezone.now() + timedelta(days=3)).date().isoformat()
    assert client.post(reverse("take_a_break"), {"until": tomorrow}).status_code == 302
    core_services.notification_settings_update(user=people["member"], email=True)
    core_services.notification_send(recipient=people["member"], kind="reply", title="A reply")
    assert Notification.objects.filter(recipient=people["member"]).count() == 1
    assert '<span class="harbour-count">' not in client.get(reverse("home")).content.decode()
    client.post(reverse("take_a_break"), {"end": "1"})
    assert '<span class="harbour-count">1' in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("until", ["2000-01-01", "not-a-date"])
def test_a_break_needs_a_future_date(client_for, people, until):
    response = client_for(people["member"]).post(reverse("take_a_break"), {"until": until})
    assert response.status_code == 400
    assert not plans.on_break(people["member"])


MATRIX_NAMES = ["staying_well_plan", "safety_plan", "take_a_break"]


@pytest.mark.parametrize("name", MATRIX_NAMES)
def test_plans_pages_need_signing_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_seeing_sessions_and_signing_out_the_others(client, people):
    from django.test import Client

    from tests.conftest import PASSWORD

    laptop, phone = Client(HTTP_USER_AGENT="Laptop browser"), Client(
        HTTP_USER_AGENT="Phone browser")
    for device in (laptop, phone):
        device.post(reverse("login"), {"username": people["member"].email, "password": PASSWORD})
    page = laptop.get(reverse("signed_in_sessions")).content.decode()
    assert "Laptop browser" in page and "Phone browser" in page
    laptop.post(reverse("signed_in_sessions"))
    signed_out = phone.get(reverse("notifications"))
    assert signed_out.status_code == 302 and signed_out.url.startswith(reverse("login"))
    assert laptop.get(reverse("signed_in_sessions")).status_code == 200
    assert "Phone browser" not in laptop.get(reverse("signed_in_sessions")).content.decode()


def test_quiet_reading_can_be_turned_on_and_off(client_for, people):
    client = client_for(people["member"])
    client.post(reverse("take_a_break"), {"quiet": "on"})
    people["member"].refresh_from_db()
    assert people["member"].quiet_reading
    client.post(reverse("take_a_break"), {"quiet": "off"})
    people["member"].refresh_from_db()
    assert not people["member"].quiet_reading
