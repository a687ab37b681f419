"""Urgent help: crisis contacts as data, reachable from every page, errors included."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone

from community.models import CrisisContact
from community.urls import urlpatterns as site_urlpatterns
from tests.html import elements, has_urgent_help_link, parse, text_of

SEEDED = {
    "999 emergency services": "tel:999",
    "NHS 111": "tel:111",
    "Crisis resolution and home treatment team": "tel:08001299999",
    "Samaritans": "tel:116123",
    "Childline": "tel:08001111",
}


def test_seeded_contacts_are_listed_with_working_links(client, db):
    tree = parse(client.get(reverse("urgent_help")))
    headings = [text_of(h) for h in elements(tree, "h2")]
    hrefs = {a.get("href") for a in elements(tree, "a")}
    for name, tel in SEEDED.items():
        assert name in headings
        assert tel in hrefs
    assert "sms:85258?body=SHOUT" in hrefs
    page = text_of(tree)
    assert "option 2" in page  # NHS 111's mental health option
    assert "Text SHOUT to 85258" in page


def test_unlisted_contacts_are_not_shown(client, db):
    CrisisContact.objects.filter(name="Childline").update(is_listed=False)
    assert "Childline" not in client.get(reverse("urgent_help")).content.decode()


def test_admin_is_warned_about_contacts_not_verified_for_six_months(client_for, people):
    stale_date = (timezone.now() - timedelta(days=200)).date()
    CrisisContact.objects.filter(name="Samaritans").update(last_verified=stale_date)
    page = client_for(people["admin"]).get(
        reverse("admin:community_crisiscontact_changelist")
    ).content.decode()
    assert "Not verified for 6 months: Samaritans." in page
    assert list(CrisisContact.objects.needing_verification().values_list("name", flat=True)) == [
        "Samaritans"
    ]


def test_clinicians_cannot_edit_contacts(client_for, people):
    url = reverse("admin:community_crisiscontact_changelist")
    assert client_for(people["clinician"]).get(url).status_code == 302


def _boom(request):
    raise RuntimeError("simulated failure")


urlpatterns = [*site_urlpatterns, path("boom/", _boom)]


@pytest.mark.urls("tests.community.test_urgent_help")
def test_the_500_page_has_the_urgent_help_link(db):
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert has_urgent_help_link(response)
    assert "not have been saved" in response.content.decode()


def test_the_csrf_failure_page_has_the_urgent_help_link(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["member"])
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert has_urgent_help_link(response)
    assert "Please try again" in response.content.decode()


def test_the_400_page_has_the_urgent_help_link(client, db):
    response = client.get(reverse("home"), headers={"host": "evil.example"})
    assert response.status_code == 400
    assert has_urgent_help_link(response)


def test_the_lockout_page_has_the_urgent_help_link(client, people):
    for _ in range(5):
        response = client.post(
            reverse("login"), {"username": people["member"].email, "password": "wrong"}
        )
    assert response.status_code == 429
    assert has_urgent_help_link(response)
