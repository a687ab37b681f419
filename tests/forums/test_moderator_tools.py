"""Lock, pin, move, hide (with the author told why), approve, history."""

import pytest
from django.urls import reverse

from community.models import AuditEntry, Notification
from forums import services
from forums.models import Category, Thread
from moderation.models import ContentStatus
from tests.conftest import make_user
from tests.html import has_urgent_help_link


@pytest.mark.parametrize("action", ["lock", "pin"])
def test_team_locks_and_pins_with_an_audit_entry(client_for, established, thread, action):
    client = client_for(established["volunteer"])
    assert client.post(reverse("forums:moderate_thread", args=[thread.pk, action])).status_code \
        == 302
    thread.refresh_from_db()
    assert getattr(thread, f"is_{action}ed" if action == "lock" else "is_pinned")
    assert AuditEntry.objects.filter(action=f"forum_thread.{action}",
                                     actor=established["volunteer"]).exists()


@pytest.mark.parametrize("role", ["member", "carer", "member_without_key"])
def test_members_cannot_use_moderator_tools(client_for, established, thread, role):
    client = client_for(established[role])
    response = client.post(reverse("forums:moderate_thread", args=[thread.pk, "lock"]))
    assert response.status_code in (403, 404)
    thread.refresh_from_db()
    assert not thread.is_locked
    post = thread.posts.get()
    assert client.post(reverse("forums:hide", args=[post.pk]),
                       {"reason": "x"}).status_code in (403, 404)
    assert published_status(post) == ContentStatus.PUBLISHED


def published_status(post):
    post.refresh_from_db()
    return post.status


def test_pinned_threads_list_first(client_for, established, forum, thread):
    newer = services.thread_create(author=established["clinician"],
                                   category=forum["staying_well"], title="Newer", body="x")
    services.thread_pin(thread=thread, moderator=established["clinician"], pinned=True)
    page = client_for(established["member"]).get(
        reverse("forums:category", args=["talking-therapies", "staying-well"])
    ).content.decode()
    assert page.index(thread.title) < page.index(newer.title)


def test_move_thread_within_the_space(client_for, established, forum, thread):
    client = client_for(established["clinician"])
    client.post(reverse("forums:moderate_thread", args=[thread.pk, "move"]),
                {"category": forum["good_news"].pk})
    thread.refresh_from_db()
    assert thread.category == forum["good_news"]


def test_move_to_another_spaces_category_is_refused(client_for, established, forum, thread):
    client = client_for(established["volunteer"])
    client.post(reverse("forums:moderate_thread", args=[thread.pk, "move"]),
                {"category": forum["carers_corner"].pk})
    thread.refresh_from_db()
    assert thread.category == forum["staying_well"]


def test_hiding_tells_the_author_why_privately_with_support(client_for, established, thread):
    post = services.post_create(author=established["member"], thread=thread,
                                body="My phone number is in here")
    client = client_for(established["peer_supporter"])
    empty = client.post(reverse("forums:hide", args=[post.pk]), {"reason": ""})
    assert empty.status_code == 400
    response = client.post(reverse("forums:hide", args=[post.pk]),
                           {"reason": "It shared a phone number. Please keep details private."})
    assert response.status_code == 302
    assert published_status(post) == ContentStatus.HIDDEN
    message = Notification.objects.get(recipient=established["member"], kind="moderator")
    assert message.message.startswith("It shared a phone number")
    page = client_for(established["member"]).get(reverse("notifications"))
    text = page.content.decode()
    assert "It shared a phone number" in text
    assert "Samaritans" in text and "116 123" in text
    assert has_urgent_help_link(page)
    for other in ("volunteer", "clinician"):
        other_page = client_for(established[other]).get(reverse("notifications")).content
        assert b"It shared a phone number" not in other_page
    thread_page = client_for(established["volunteer"]).get(
        reverse("forums:thread", args=[thread.pk])).content.decode()
    assert "hidden by a moderator" in thread_page
    assert "My phone number is in here" not in thread_page
    entry = AuditEntry.objects.get(action="forum_post.hide")
    assert entry.actor == established["peer_supporter"]
    assert "My phone number" not in str(entry.detail), "audit entries never copy post text"


def test_hiding_the_first_post_hides_the_thread(client_for, established, thread):
    services.post_hide(post=thread.posts.get(), moderator=established["clinician"],
                       reason="Unsafe content")
    thread.refresh_from_db()
    assert thread.status == ContentStatus.HIDDEN
    assert client_for(established["member"]).get(
        reverse("forums:thread", args=[thread.pk])).status_code == 404


def test_approving_a_held_thread_publishes_it(client_for, people, forum, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 3
    thread = services.thread_create(author=people["member"], category=forum["staying_well"],
                                    title="Held thread", body="body")
    listing = reverse("forums:category", args=["talking-therapies", "staying-well"])
    reader = make_user("member", "Other Reader", spaces=[forum["staying_well"].space])
    assert "Held thread" not in client_for(reader).get(listing).content.decode()
    assert "Held thread" in client_for(people["member"]).get(listing).content.decode()
    client_for(people["clinician"]).post(reverse("forums:approve",
                                                 args=[thread.posts.get().pk]))
    thread.refresh_from_db()
    assert thread.status == ContentStatus.PUBLISHED
    assert "Held thread" in client_for(reader).get(listing).content.decode()
    assert AuditEntry.objects.filter(action="forum_post.approve").exists()


def test_only_admins_manage_categories(client_for, established):
    url = reverse("admin:forums_category_add")
    assert client_for(established["clinician"]).get(url).status_code == 302
    response = client_for(established["admin"]).post(url, {
        "space": established["member"].keys.get().space_id, "name": "Hobbies",
        "slug": "hobbies", "description": "", "position": 5,
    })
    assert response.status_code == 302
    assert Category.objects.filter(slug="hobbies").exists()
    assert Thread.objects.count() == 0
