"""Invitations from creation to use: single use, expiry, revocation, and resistance to guessing."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from community import services
from community.logging import RedactSecretsFilter
from community.models import AuditEntry, Invitation, Key, Role, User, hash_invitation_code
from tests.html import elements, parse, text_of, without_csrf

JOINER = {
    "first_name": "Alexandra",
    "last_name": "Pemberton",
    "email": "alex.p@example.net",
    "display_name": "Morning Tide",
    "avatar": "wave",
    "password": "tide-and-shore-41",
    "agree": "on",
}


@pytest.fixture
def invitation(people, talking):
    return services.invitation_create(
        created_by=people["clinician"], role=Role.MEMBER, spaces=[talking],
        therapy_completed="ipt",
    )


def join(client, code, **changes):
    return client.post(reverse("join", kwargs={"code": code}), {**JOINER, **changes})


def confirmation_link(message) -> str:
    return re.search(r"https?://testserver(/join/confirm/[^/\s]+/)", message.body).group(1)


def join_and_confirm(client, code, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        response = join(client, code, **changes)
    assert response.status_code == 200 and "Check your email" in response.content.decode()
    return client.get(confirmation_link(mail.outbox[-1]))


def test_clinician_creates_an_invitation_through_the_page(client_for, people, talking):
    response = client_for(people["clinician"]).post(
        reverse("invitation_create"),
        {"role": "carer", "spaces": [talking.pk], "valid_days": 7, "therapy_completed": "",
         "label": "JB"},
    )
    assert response.status_code == 201
    link = re.search(r"https?://testserver/join/([\w-]+)/", response.content.decode())
    assert link, "the joining link is shown once"
    invitation = Invitation.objects.get()
    assert invitation.code_hash == hash_invitation_code(link.group(1))
    assert link.group(1) not in str(Invitation.objects.values().get()), "the code is not stored"
    assert invitation.role == Role.CARER
    assert invitation.status == Invitation.Status.PENDING
    assert timedelta(days=6, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=7)
    assert AuditEntry.objects.filter(action="invitation.create", actor=people["clinician"]).exists()


def test_invitation_defaults_to_fourteen_days(invitation):
    created, _ = invitation
    assert created.expires_at - created.created_at == pytest.approx(
        timedelta(days=14), abs=timedelta(seconds=5)
    )


def test_invitation_form_errors_keep_what_was_typed(client_for, people):
    response = client_for(people["clinician"]).post(
        reverse("invitation_create"), {"role": "member", "valid_days": 500, "label": "RT note"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="RT note"' in page
    assert "Choose" in page or "This field is required" in page
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", ["peer_supporter", "clinician", "admin"])
def test_only_member_and_carer_invitations_exist(people, talking, role):
    with pytest.raises(PermissionDenied):
        services.invitation_create(created_by=people["clinician"], role=role, spaces=[talking])


def test_clinician_cannot_invite_into_a_space_without_a_key(people, talking, carers_space):
    people["clinician"].keys.filter(space=carers_space).delete()
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            created_by=people["clinician"], role=Role.CARER, spaces=[carers_space]
        )


def test_peer_supporter_cannot_create_invitations(client_for, people, talking):
    response = client_for(people["peer_supporter"]).post(
        reverse("invitation_create"), {"role": "member", "spaces": [talking.pk], "valid_days": 14}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_joining_creates_the_account_with_its_keys_and_signs_in(
    client, invitation, talking, django_capture_on_commit_callbacks
):
    created, code = invitation
    with django_capture_on_commit_callbacks(execute=True):
        response = join(client, code)
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    user = User.objects.get(email="alex.p@example.net")
    assert not user.is_active, "not until the email address is confirmed"
    [message] = mail.outbox
    assert message.to == ["alex.p@example.net"]
    confirmed = client.get(confirmation_link(message))
    assert confirmed.status_code == 302
    user.refresh_from_db()
    assert user.is_active
    assert user.role == Role.MEMBER
    assert user.therapy_completed == "ipt"
    assert user.agreed_to_rules_at is not None
    assert list(Key.objects.filter(user=user).values_list("space__slug", flat=True)) == [
        talking.slug
    ]
    created.refresh_from_db()
    assert created.status == Invitation.Status.USED and created.used_by == user
    home = client.get(reverse("home"))
    assert "Morning Tide" in home.content.decode()
    assert AuditEntry.objects.filter(action="user.join", actor=user).exists()


def test_join_page_shows_the_whole_community_agreement(client, invitation):
    _, code = invitation
    page = client.get(reverse("join", kwargs={"code": code})).content.decode()
    assert "is not a crisis service" in page
    assert "House rules" in page
    assert "Keep yourself and others anonymous" in page


def test_a_used_code_cannot_be_used_again(client, invitation):
    _, code = invitation
    assert join(client, code).status_code == 200
    response = join(client, code, email="second@example.net", display_name="Second Wave")
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert not User.objects.filter(email="second@example.net").exists()


def test_an_expired_code_creates_nothing(client, invitation):
    _, code = invitation
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        response = join(client, code)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.filter(email=JOINER["email"]).exists()


def test_a_code_works_until_just_before_expiry(client, invitation):
    _, code = invitation
    with time_machine.travel(timezone.now() + timedelta(days=13, hours=23)):
        assert join(client, code).status_code == 200
    assert User.objects.filter(email=JOINER["email"]).exists()


def test_a_revoked_code_creates_nothing(client, people, invitation):
    created, code = invitation
    services.invitation_revoke(invitation=created, revoked_by=people["clinician"])
    response = join(client, code)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert not User.objects.filter(email=JOINER["email"]).exists()
    assert AuditEntry.objects.filter(action="invitation.revoke").count() == 1


def test_a_clinician_cannot_revoke_another_clinicians_invitation(client_for, people, invitation):
    created, _ = invitation
    other = User.objects.create_user(
        "other.clinician@example.org", "x-long-password-1", display_name="Dr Rowan",
        role=Role.CLINICIAN,
    )
    response = client_for(other).post(reverse("invitation_revoke", kwargs={"pk": created.pk}))
    assert response.status_code == 404
    created.refresh_from_db()
    assert created.status == Invitation.Status.PENDING


def test_invitation_list_shows_status(client_for, people, invitation, talking):
    created, _ = invitation
    used, used_code = services.invitation_create(
        created_by=people["clinician"], role=Role.MEMBER, spaces=[talking], label="used one"
    )
    services.user_join(code=used_code, site_url="http://testserver",
                       **{k: v for k, v in JOINER.items() if k != "agree"})
    page = parse(client_for(people["clinician"]).get(reverse("invitation_list")))
    statuses = [text_of(tag) for tag in elements(page, "strong")]
    assert "Pending" in statuses and "Used" in statuses


def test_an_unknown_code_is_refused_clearly(client, invitation):
    response = join(client, "not-a-real-code")
    assert response.status_code == 410
    assert "recognise" in response.content.decode()
    assert not User.objects.filter(email=JOINER["email"]).exists()


def test_codes_are_long_random_and_distinct(people, talking):
    codes = {
        services.invitation_create(
            created_by=people["clinician"], role=Role.MEMBER, spaces=[talking]
        )[1]
        for _ in range(50)
    }
    assert len(codes) == 50
    for code in codes:
        # URL-safe base64: 6 bits a character, so 22 characters already carry 132 bits.
        assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", code)


def test_guessing_at_join_is_rate_limited(client, invitation, settings):
    _, code = invitation
    for attempt in range(settings.JOIN_ATTEMPTS_LIMIT):
        assert client.get(reverse("join", kwargs={"code": f"guess-{attempt}"})).status_code == 410
    # Past the limit even the right code is refused for a while, from this address.
    blocked = client.get(reverse("join", kwargs={"code": code}))
    assert blocked.status_code == 429
    assert "Too many joining attempts" in blocked.content.decode()
    other_address = client.get(reverse("join", kwargs={"code": code}), REMOTE_ADDR="10.9.8.7")
    assert other_address.status_code == 200


def test_viewing_a_working_link_again_is_not_guessing(client, invitation, settings):
    _, code = invitation
    for _ in range(settings.JOIN_ATTEMPTS_LIMIT + 5):
        assert client.get(reverse("join", kwargs={"code": code})).status_code == 200


def test_join_codes_never_reach_the_logs(client, invitation, caplog):
    _, code = invitation
    with caplog.at_level("INFO"):
        join(client, code, password="short")
        client.get(reverse("join", kwargs={"code": "some-guessed-code"}))
    redact = RedactSecretsFilter()
    for record in caplog.records:
        redact.filter(record)
        line = logging.Formatter("%(message)s").format(record)
        assert code not in line and "some-guessed-code" not in line
    assert any("/join/[code]" in record.getMessage() for record in caplog.records)


def test_rate_limited_join_keeps_what_was_typed(client, invitation, settings):
    _, code = invitation
    for _ in range(settings.JOIN_ATTEMPTS_LIMIT):
        client.get(reverse("join", kwargs={"code": "guess"}))
    response = join(client, code)
    assert response.status_code == 429
    page = response.content.decode()
    assert 'value="Morning Tide"' in page and 'value="alex.p@example.net"' in page
    assert not User.objects.filter(email=JOINER["email"]).exists()


def test_typing_a_code_at_join_start(client, invitation):
    _, code = invitation
    response = client.post(reverse("join_start"), {"code": f"  https://x.example/join/{code}/ "})
    assert response.status_code == 302
    assert response.url == reverse("join", kwargs={"code": code})
    wrong = client.post(reverse("join_start"), {"code": "nonsense"})
    assert wrong.status_code == 400
    assert "recognise" in wrong.content.decode()
    assert 'value="nonsense"' in wrong.content.decode()


def test_join_errors_keep_what_was_typed_and_use_nothing(client, invitation):
    created, code = invitation
    response = join(client, code, password="short", agree="")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Morning Tide"' in page
    assert 'value="Alexandra"' in page
    assert "at least 10 characters" in page
    assert "agree to the community agreement" in page
    assert "short" not in re.findall(r'value="([^"]*)"', page), "passwords are not echoed"
    created.refresh_from_db()
    assert created.status == Invitation.Status.PENDING
    assert not User.objects.filter(email=JOINER["email"]).exists()


def test_an_email_that_has_an_account_looks_the_same_as_a_new_one(
    client, people, invitation, talking, django_capture_on_commit_callbacks
):
    """Whoever holds a code cannot learn whose email address is registered."""
    created, code = invitation
    _, other_code = services.invitation_create(
        created_by=people["clinician"], role=Role.MEMBER, spaces=[talking])
    with django_capture_on_commit_callbacks(execute=True):
        existing = join(client, code, email=people["member"].email.upper())
        fresh = join(client, other_code, email="brand.new@example.net",
                     display_name="Brand New Tide")
    assert existing.status_code == fresh.status_code == 200
    assert without_csrf(existing) == without_csrf(fresh)
    created.refresh_from_db()
    assert created.status == Invitation.Status.USED, "used either way, so retrying tells nothing"
    warned = next(m for m in mail.outbox if m.to == [people["member"].email])
    assert "already has an account" in warned.body
    assert User.objects.filter(email__iexact=people["member"].email).count() == 1


def test_signed_in_person_opening_a_link_does_not_use_it(client_for, people, invitation):
    created, code = invitation
    response = client_for(people["member"]).post(
        reverse("join", kwargs={"code": code}), JOINER
    )
    assert "already signed in" in response.content.decode()
    created.refresh_from_db()
    assert created.status == Invitation.Status.PENDING


def test_confirmation_links_work_once_and_expire(
    client, invitation, django_capture_on_commit_callbacks
):
    _, code = invitation
    with django_capture_on_commit_callbacks(execute=True):
        join(client, code)
    link = confirmation_link(mail.outbox[0])
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        expired = client.get(link)
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    assert client.get(link).status_code == 302
    client.logout()
    again = client.get(link)
    assert again.status_code == 400 and "already been used" in again.content.decode()
    assert client.get("/join/confirm/forged-token/").status_code == 400


def test_create_invite_command_prints_a_working_link(client, talking, capsys):
    call_command("create_invite", "--role", "member", "--space", talking.slug)
    link = re.search(r"/join/([\w-]+)/", capsys.readouterr().out)
    assert link
    assert client.get(reverse("join", kwargs={"code": link.group(1)})).status_code == 200
    assert Invitation.objects.get().created_by is None
