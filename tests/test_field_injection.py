"""Forms that name another user or a role in extra fields: every form takes its fields from a
declared list, so the author, the role, the keys and the staff flags come from the session and the
invitation, never from what the browser sends."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.models import Invitation, Key, Role, User
from forums.models import Post
from tests.community.test_invitations import JOINER, invitation, join_and_confirm  # noqa: F401
from tests.forums.conftest import established, forum  # noqa: F401

pytestmark = pytest.mark.django_db

ELEVATION = {
    "role": Role.ADMIN, "is_staff": "on", "is_superuser": "on", "is_active": "on",
    "moderates": "on", "author": "1", "user": "1", "user_id": "1", "created_by": "1",
}


def test_joining_cannot_choose_a_role_a_space_or_staff_flags(
    client, invitation, carers_space, django_capture_on_commit_callbacks  # noqa: F811
):
    _, code = invitation
    join_and_confirm(client, code, django_capture_on_commit_callbacks, **ELEVATION,
                     spaces=str(carers_space.pk), space=carers_space.slug)
    user = User.objects.get(email=JOINER["email"])
    assert user.role == Role.MEMBER
    assert not user.is_staff and not user.is_superuser
    assert list(Key.objects.filter(user=user).values_list("space__slug", "moderates")) == [
        ("talking-therapies", False)
    ]


def test_a_forum_post_cannot_name_another_author(
    client_for, people, forum, established  # noqa: F811
):
    from forums import services

    thread = services.thread_create(author=people["peer_supporter"],
                                    category=forum["staying_well"], title="Walks", body="Walking")
    response = client_for(people["member"]).post(
        reverse("forums:reply", kwargs={"pk": thread.pk}),
        {"body": "Mine, not theirs", **ELEVATION, "author": people["clinician"].pk,
         "status": "published", "risk_tier": ""},
    )
    assert response.status_code == 302
    reply = Post.objects.get(body="Mine, not theirs")
    assert reply.author == people["member"]
    people["member"].refresh_from_db()
    assert people["member"].role == Role.MEMBER and not people["member"].is_staff


def test_a_clinicians_invitation_cannot_carry_a_team_role(client_for, people, talking):
    response = client_for(people["clinician"]).post(reverse("invitation_create"), {
        "role": Role.CLINICIAN, "spaces": [talking.pk], "valid_days": 14,
        "therapy_completed": "", "label": "",
    })
    assert response.status_code == 400, "the form is shown again with the problem"
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()


def test_notification_settings_change_only_ones_own(client_for, people):
    from community.services import notification_settings_for

    member, clinician = people["member"], people["clinician"]
    fields = ("replies", "quotes", "mentions", "email")
    theirs = {f: getattr(notification_settings_for(clinician), f) for f in fields}
    response = client_for(member).post(
        reverse("notification_settings"),
        {"mentions": "on", "user": clinician.pk, "user_id": clinician.pk, "role": Role.ADMIN},
    )
    assert response.status_code == 302
    assert {f: getattr(notification_settings_for(clinician), f) for f in fields} == theirs
    mine = notification_settings_for(member)
    assert (mine.replies, mine.quotes, mine.mentions, mine.email) == (False, False, True, False)
    member.refresh_from_db()
    assert member.role == Role.MEMBER
