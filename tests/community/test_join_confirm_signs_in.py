"""Opening the confirmation link signs the new member in, and they stay signed in: the session
must name a backend that is in AUTHENTICATION_BACKENDS, or the next request is anonymous (the
welcome message alone would still mention their name)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import Role

pytestmark = pytest.mark.django_db


def test_the_confirmation_link_leaves_the_member_signed_in(
        people, talking, django_capture_on_commit_callbacks):
    _, code = services.invitation_create(
        created_by=people["clinician"], role=Role.MEMBER, spaces=[talking],
        expires_at=timezone.now() + timedelta(days=3), therapy_completed="", label="",
    )
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("join", args=[code]), {
            "first_name": "Alex", "last_name": "Pryor", "email": "alex.p@example.net",
            "display_name": "Morning Tide", "avatar": "sun", "password": "tide-and-shore-41",
            "agree": "on",
        })
    link = re.search(r"https?://testserver(/join/confirm/[^/\s]+/)", mail.outbox[-1].body)[1]
    assert client.get(link).status_code == 302
    assert client.session["_auth_user_backend"] in settings.AUTHENTICATION_BACKENDS
    home = client.get(reverse("home"))
    assert home.wsgi_request.user.is_authenticated
    assert home.wsgi_request.user.display_name == "Morning Tide"
