"""Signing in, and the lock-out that stops password guessing."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD, message_to_user_group
from tests.html import without_csrf


def comparable(response, typed: str) -> bytes:
    """The page without what differs by design: the CSRF token and the echoed email."""
    return without_csrf(response).replace(typed.encode(), b"TYPED")


def sign_in(client, username, password, address="192.0.2.10"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_right_password_signs_in_with_any_case_of_email(client, people):
    response = sign_in(client, people["member"].email.upper(), PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(people["member"].pk)


def test_wrong_password_says_so_and_keeps_the_email(client, people):
    response = sign_in(client, people["member"].email, "wrong-password")
    assert response.status_code == 200
    page = response.content.decode()
    assert "email address or password is not right" in page
    assert f'value="{people["member"].email}"' in page
    assert SESSION_KEY not in client.session


def test_five_failures_lock_out_even_the_right_password(client, people):
    email = people["member"].email
    for _ in range(4):
        assert sign_in(client, email, "wrong-password").status_code == 200
    # The fifth failure already answers with the lock-out page.
    assert sign_in(client, email, "wrong-password").status_code == 429
    locked = sign_in(client, email, PASSWORD)
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    assert SESSION_KEY not in client.session


def test_case_changes_do_not_reset_the_count(client, people):
    email = people["member"].email
    for variant in [email, email.upper(), email.title(), f" {email} ", email.swapcase()]:
        sign_in(client, variant, "wrong-password")
    assert sign_in(client, email, PASSWORD).status_code == 429


def test_lock_out_does_not_reveal_whether_the_account_exists(client, people):
    for _ in range(5):
        sign_in(client, people["member"].email, "wrong-password")
        sign_in(client, "nobody@example.org", "wrong-password")
    existing = sign_in(client, people["member"].email, "wrong-password")
    missing = sign_in(client, "nobody@example.org", "wrong-password")
    assert existing.status_code == missing.status_code == 429
    assert comparable(existing, people["member"].email) == comparable(
        missing, "nobody@example.org"
    )


def test_failures_before_the_limit_look_the_same_for_unknown_accounts(client, people):
    existing = sign_in(client, people["member"].email, "wrong-password")
    missing = sign_in(client, "nobody@example.org", "wrong-password")
    assert existing.status_code == missing.status_code == 200
    assert comparable(existing, people["member"].email) == comparable(
        missing, "nobody@example.org"
    )


def test_lock_out_is_per_address(client, people):
    email = people["member"].email
    for _ in range(5):
        sign_in(client, email, "wrong-password", address="192.0.2.10")
    assert sign_in(client, email, PASSWORD, address="198.51.100.7").status_code == 302


def test_lock_out_lifts_after_fifteen_minutes(client, people):
    email = people["member"].email
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            sign_in(client, email, "wrong-password")
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert sign_in(client, email, PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        assert sign_in(client, email, PASSWORD).status_code == 302


def test_sign_out_is_a_post(client_for, people):
    client = client_for(people["member"])
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("password", ["short1", "123456789012", "password123"])
def test_weak_new_passwords_are_refused(client_for, people, password):
    response = client_for(people["member"]).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert "nhsuk-error-message" in response.content.decode()


def test_password_reset_sends_a_link_that_works(client, people):
    response = client.post(reverse("password_reset"), {"email": people["member"].email.upper()})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "brand-new-harbour-9", "new_password2": "brand-new-harbour-9"},
    )
    assert done.status_code == 302
    assert sign_in(client, people["member"].email, "brand-new-harbour-9").status_code == 302
    assert client.session[SESSION_KEY] == str(people["member"].pk)


def test_password_reset_for_unknown_email_looks_the_same(client, people):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []



def test_a_forged_forwarded_for_header_does_not_escape_the_lock_out(client, people):
    email = people["member"].email
    for attempt in range(6):
        response = client.post(
            reverse("login"), {"username": email, "password": "wrong"},
            REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}",
        )
    assert response.status_code == 429


def test_signing_out_closes_every_live_connection(client_for, people,
                                                  django_capture_on_commit_callbacks):
    def sign_out():
        with django_capture_on_commit_callbacks(execute=True):
            client_for(people["member"]).post(reverse("logout"))

    assert message_to_user_group(people["member"], sign_out) == {"type": "force.disconnect",
                                                                 "reason": "signed_out"}
