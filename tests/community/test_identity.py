"""Display names keep members pseudonymous."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from community.identity import validate_display_name
from community.models import User


@pytest.mark.parametrize(
    "name",
    ["Morning Tide", "quiet_reader", "Anne-Marie's cat", "Élan 77", "St. Ives walker", "Bob"],
)
def test_ordinary_display_names_are_accepted(name):
    assert validate_display_name(name) == name


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("jo@example.com", "email"),
        ("jo (at) example.com", "email"),
        ("me@home", "email"),
        ("07700 900123", "phone"),
        ("call 0161-496-0000", "phone"),
        ("+44 7700 900 123", "phone"),
        ("www.mysite", "url"),
        ("https://x.y", "url"),
        ("visit jo.co.uk", "url"),
        ("jo.com", "url"),
        ("ab", "length"),
        ("x" * 31, "length"),
        ("<script>", "characters"),
        ("smile 😀", "characters"),
    ],
)
def test_display_names_that_identify_or_mislead_are_refused(name, code):
    with pytest.raises(ValidationError) as refused:
        validate_display_name(name)
    assert refused.value.code == code


@pytest.mark.parametrize(
    "name", ["Alexandra", "alexandra99", "The Pemberton", "PEMBERTON fan", "A.L.E.X.A.N.D.R.A"]
)
def test_display_name_containing_the_private_name_is_refused(name):
    with pytest.raises(ValidationError) as refused:
        validate_display_name(name, first_name="Alexandra", last_name="Pemberton")
    assert refused.value.code == "real_name"


def test_accents_do_not_hide_a_real_name():
    with pytest.raises(ValidationError):
        validate_display_name("Zoé reads", first_name="Zoe", last_name="Smith")


def test_very_short_real_names_do_not_block_ordinary_words():
    assert validate_display_name("Bookworm", first_name="Bo", last_name="Li") == "Bookworm"


def test_display_names_are_unique_ignoring_case(db):
    User.objects.create_user("a@example.org", "long-password-1", display_name="Morning Tide")
    with pytest.raises(IntegrityError):
        User.objects.create_user("b@example.org", "long-password-1", display_name="MORNING tide")


def test_display_name_taken_message_at_joining(client, people, talking):
    from django.urls import reverse

    from community import services

    _, code = services.invitation_create(
        created_by=people["clinician"], role="member", spaces=[talking]
    )
    response = client.post(
        reverse("join", kwargs={"code": code}),
        {"first_name": "Sam", "last_name": "Okafor", "email": "sam.o@example.net",
         "display_name": "quiet harbour", "avatar": "sun", "password": "tide-and-shore-41",
         "agree": "on"},
    )
    assert response.status_code == 400
    assert "That display name is taken" in response.content.decode()
