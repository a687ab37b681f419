"""`manage.py seed_demo`: a demo community in one command, the same however often it runs."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from community.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from community.models import CrisisContact, Key, Role, Space, User
from forums.models import Category, Post, Thread


def snapshot():
    return (
        sorted(Space.objects.values_list("slug", "name")),
        sorted(User.objects.values_list("email", "role", "password")),
        sorted(Key.objects.values_list("user__email", "space__slug", "moderates")),
        CrisisContact.objects.count(),
        sorted(Category.objects.values_list("space__slug", "slug")),
        sorted(Thread.objects.values_list("title", "published_post_count")),
        Post.objects.count(),
    )


def test_seed_demo_creates_everything_once(db, capsys, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = snapshot()
    output = capsys.readouterr().out
    call_command("seed_demo")
    assert snapshot() == first, "running it twice changes nothing"

    assert {slug for slug, _ in first[0]} == {"talking-therapies", "relatives-and-carers"}
    assert {role for _, role, _ in first[1]} == set(Role.values)
    assert first[3] == 6
    assert ("relatives-and-carers", "carers-corner") in first[4]
    assert {"introduce-yourself", "staying-well", "relationships", "when-things-get-hard",
            "good-news"} <= {slug for _, slug in first[4]}
    assert len(first[5]) >= 4 and all(count >= 2 for _, count in first[5])
    for account in DEMO_ACCOUNTS:
        assert re.search(rf"{re.escape(account.email)}\s+{DEMO_PASSWORD}", output)


def test_demo_sign_ins_work(client, db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    response = client.post(
        reverse("login"), {"username": "carer@example.org", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    home = client.get(reverse("home")).content.decode()
    assert "Relatives and Carers" in home and "Talking Therapies" not in home


def test_seed_demo_refuses_production_mode(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing"):
        call_command("seed_demo")
    assert not User.objects.exists()
