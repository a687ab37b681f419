"""Deleting an account: nothing of the person's identity or plans is left in any table."""

import json

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from community import plans
from community.models import AuditEntry, User
from forums import services as forum_services
from forums.models import Category, Post
from moderation.models import ContentStatus
from tests.conftest import PASSWORD

SECRETS = ["Priya", "Ramanathan", "quiet.harbour@example.org", "Quiet Harbour",
           "My sister and my dog", "Swimming at dawn"]


def every_text_value():
    """Every text and JSON value in every table."""
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField, models.JSONField))]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                yield model.__name__, json.dumps(value) if not isinstance(value, str) else value


@pytest.fixture
def member_with_history(people, talking, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    member = people["member"]
    member.first_name, member.last_name = "Priya", "Ramanathan"
    member.save()
    category = Category.objects.create(space=talking, name="Staying well", slug="staying-well")
    thread = forum_services.thread_create(author=people["volunteer"], category=category,
                                          title="Walks", body="Walking helps")
    forum_services.post_create(author=member, thread=thread, body="My reply text here")
    forum_services.post_create(author=people["volunteer"], thread=thread,
                               body="A reply to Quiet Harbour's post")
    plans.safety_plan_save(user=member, shared_with_team=True,
                           reasons_for_living="My sister and my dog")
    plans.staying_well_plan_save(user=member, texts={"what_helps": "Swimming at dawn"})
    return member


def erase(client, delete_text: bool):
    data = {"password": PASSWORD}
    if delete_text:
        data["delete_text"] = "on"
    return client.post(reverse("delete_account"), data)


def test_erasure_leaves_no_name_email_display_name_or_plan_anywhere(client_for,
                                                                     member_with_history):
    client = client_for(member_with_history)
    response = erase(client, delete_text=False)
    assert response.status_code == 200 and "Your account is deleted" in response.content.decode()
    found = [(model, secret) for model, value in every_text_value() for secret in SECRETS
             if secret in value and "A reply to Quiet Harbour" not in value]
    assert found == []
    # Another member's words that mention the display name are theirs, and stay intact.
    assert Post.objects.filter(body="A reply to Quiet Harbour's post").exists()
    kept = Post.objects.get(author=member_with_history)
    assert kept.body == "My reply text here" and kept.status == ContentStatus.PUBLISHED
    user = User.objects.get(pk=member_with_history.pk)
    assert user.display_name.startswith("Former member") and not user.is_active
    assert AuditEntry.objects.filter(action="user.erase").exists()
    assert client.get(reverse("home")).content.decode().count("Welcome back") == 0


def test_the_text_can_go_too(client_for, member_with_history):
    erase(client_for(member_with_history), delete_text=True)
    post = Post.objects.get(author=member_with_history)
    assert post.body == "" and post.status == ContentStatus.REMOVED
    assert not any("My reply text here" in value for _, value in every_text_value())
    assert Post.objects.filter(body="A reply to Quiet Harbour's post").exists()


def test_the_wrong_password_deletes_nothing(client_for, member_with_history):
    response = client_for(member_with_history).post(reverse("delete_account"),
                                                    {"password": "wrong"})
    assert response.status_code == 400
    assert User.objects.get(pk=member_with_history.pk).is_active
