"""Safeguarding escalations, team notes, the audit log and two-factor set-up."""

import csv
import html
import io
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from community.models import AuditEntry
from moderation import services
from moderation.models import Escalation, EscalationStep, MemberNote, ReviewItem


def current_code(device) -> str:
    """The code the person's authenticator app shows now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def item(people, published_post):
    return ReviewItem.objects.create(
        kind="risk", tier="high", space=published_post.thread.category.space,
        target_type="forums.post", target_id=published_post.pk, member=people["member"],
        due_at=published_post.created_at,
    )


def test_volunteers_open_and_add_to_but_cannot_close_an_escalation(client_for, people, item):
    client = client_for(people["volunteer"])
    response = client.post(reverse("moderation:escalate", args=[item.pk]),
                           {"what_was_seen": "Talk of a plan for tonight"})
    escalation = Escalation.objects.get()
    assert response.url == reverse("moderation:escalation", args=[escalation.pk])
    client.post(reverse("moderation:escalation", args=[escalation.pk]),
                {"step": "1", "action": "messaged_member", "note": "Sent support message"})
    client_for(people["peer_supporter"]).post(
        reverse("moderation:escalation", args=[escalation.pk]),
        {"step": "1", "action": "informed_clinician"})
    client.post(reverse("moderation:escalation", args=[escalation.pk]), {"close": "1"})
    escalation.refresh_from_db()
    assert escalation.closed_at is None
    with pytest.raises(PermissionDenied):
        services.escalation_close(escalation=escalation, moderator=people["volunteer"])
    client_for(people["clinician"]).post(reverse("moderation:escalation", args=[escalation.pk]),
                                         {"close": "1", "note": "Member safe"})
    escalation.refresh_from_db()
    assert escalation.closed_by == people["clinician"]
    actions = list(escalation.steps.values_list("action", "by__display_name"))
    assert actions == [("messaged_member", "Volunteer Heron"),
                       ("informed_clinician", "Peer Skylark"), ("closed", "Dr Willow")]
    assert AuditEntry.objects.filter(action__startswith="escalation.").count() == 4


def test_team_notes_are_seen_by_the_team_only(client_for, people):
    member = people["member"]
    client_for(people["volunteer"]).post(reverse("moderation:member", args=[member.pk]),
                                         {"action": "note", "text": "Prefers short replies"})
    assert MemberNote.objects.get().text == "Prefers short replies"
    team_page = client_for(people["clinician"]).get(reverse("moderation:member", args=[member.pk]))
    assert "Prefers short replies" in team_page.content.decode()
    for role in ("member", "carer"):
        response = client_for(people[role]).get(reverse("moderation:member", args=[member.pk]))
        assert response.status_code == 403


def test_every_action_is_audited_and_entries_cannot_change(people, item):
    services.review_item_claim(item=item, moderator=people["volunteer"])
    services.member_note_add(member=people["member"], moderator=people["volunteer"], text="n")
    services.review_item_resolve(item=item, moderator=people["volunteer"], action="checked")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"member_note.add", "review.checked"} <= actions
    entry = AuditEntry.objects.get(action="member_note.add")
    entry.action = "changed"
    with pytest.raises(TypeError):
        entry.save()


def test_admins_filter_and_export_the_audit_log(client_for, people, item):
    services.review_item_resolve(item=item, moderator=people["volunteer"], action="checked")
    services.member_warn(member=people["member"], moderator=people["clinician"], reason="r")
    client = client_for(people["admin"])
    page = client.get(reverse("moderation:audit"), {"action": "sanction"}).content.decode()
    assert "sanction.warn" in page and "review.checked" not in page
    export = client.get(reverse("moderation:audit"), {"format": "csv", "actor": "Volunteer Heron"})
    assert export["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0][:3] == ["when", "actor", "action"]
    assert [row[2] for row in rows[1:]] == ["review.checked"]
    assert client_for(people["clinician"]).get(reverse("moderation:audit")).status_code == 403


def test_two_factor_setup_with_a_real_code(client_for, people):
    client = client_for(people["volunteer"], second_factor=False)
    assert client.get(reverse("moderation:queue")).url.startswith(reverse("two_factor_setup"))
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200 and b"data:image/svg+xml" in page.content
    device = TOTPDevice.objects.get(user=people["volunteer"])
    wrong = client.post(reverse("two_factor_setup"), {"token": "000000"})
    assert wrong.status_code == 400 and "didn't match" in html.unescape(wrong.content.decode())
    # django-otp slows down guessing after a failure: a person would wait a moment too.
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        code = current_code(device)
        done = client.post(reverse("two_factor_setup"), {"token": code,
                                                         "next": reverse("moderation:queue")})
        assert done.url == reverse("moderation:queue")
        assert client.get(reverse("moderation:queue")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_next_after_two_factor_cannot_leave_the_site(client_for, people):
    client = client_for(people["volunteer"], second_factor=False)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=people["volunteer"])
    done = client.post(reverse("two_factor_setup"),
                       {"token": current_code(device), "next": "https://evil.example/"})
    assert done.url == reverse("home")


def test_returning_moderators_enter_a_code(client_for, people):
    device = TOTPDevice.objects.create(user=people["clinician"], name="phone", confirmed=True)
    client = client_for(people["clinician"], second_factor=False)
    assert client.get(reverse("moderation:queue")).url.startswith(reverse("two_factor_verify"))
    bad = client.post(reverse("two_factor_verify"), {"token": "12ab56"})
    assert bad.status_code == 400
    client.post(reverse("two_factor_verify"), {"token": current_code(device)})
    assert client.get(reverse("moderation:queue")).status_code == 200


def test_escalation_needs_a_description(people, item):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.escalation_open(item=item, moderator=people["volunteer"], what_was_seen=" ")
    assert not EscalationStep.objects.exists()
