"""The review queue: what is in it, in what order, claims, and every action on an item."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from community.models import AuditEntry, Notification
from moderation import selectors, services
from moderation.models import ContentStatus, ReviewItem
from tests.conftest import make_user


def item_for(post) -> ReviewItem:
    return ReviewItem.objects.get(target_type="forums.post", target_id=post.pk)


def test_new_members_first_posts_are_queued(held_post):
    item = item_for(held_post)
    assert item.kind == ReviewItem.Kind.FIRST_POSTS and item.resolved_at is None


def test_queue_is_sorted_by_tier_then_age(people, held_post, staying_well, settings):
    from forums import services as forum_services

    settings.FORUMS_HOLD_FIRST_POSTS = 0
    medium = forum_services.thread_create(author=people["member"], category=staying_well,
                                          title="Low", body="so hopeless").posts.get()
    high = forum_services.thread_create(author=people["member"], category=staying_well,
                                        title="Night", body="I want to die").posts.get()
    order = [item.target_id for item in selectors.queue_for(people["volunteer"])]
    assert order == [high.pk, medium.pk, held_post.pk]


def test_queue_shows_only_spaces_the_moderator_moderates(people, held_post, carers_space):
    other = make_user("volunteer", "Carers Volunteer", spaces=[carers_space], moderates=True)
    assert list(selectors.queue_for(other)) == []
    assert len(selectors.queue_for(people["admin"])) == 1


def test_overdue_items_are_highlighted(client_for, people, held_post):
    ReviewItem.objects.update(due_at=timezone.now() - timedelta(minutes=1))
    page = client_for(people["volunteer"]).get(reverse("moderation:queue")).content.decode()
    assert "harbour-overdue" in page and "Overdue" in page


def test_claiming_stops_two_people_working_the_same_item(people, held_post):
    item = item_for(held_post)
    services.review_item_claim(item=item, moderator=people["volunteer"])
    with pytest.raises(ValidationError, match="Volunteer Heron is already working on this"):
        services.review_item_claim(item=item, moderator=people["clinician"])
    services.review_item_release(item=item, moderator=people["volunteer"])
    services.review_item_claim(item=item, moderator=people["clinician"])


def test_approve_publishes_and_closes_the_item(client_for, people, held_post):
    item = item_for(held_post)
    response = client_for(people["peer_supporter"]).post(
        reverse("moderation:item", args=[item.pk]), {"action": "approve"})
    assert response.status_code == 302
    held_post.refresh_from_db()
    assert held_post.status == ContentStatus.PUBLISHED
    item.refresh_from_db()
    assert item.resolution == "approve" and item.resolved_by == people["peer_supporter"]
    entry = AuditEntry.objects.get(action="review.approve")
    assert entry.detail["before"] == "held" and entry.detail["after"] == "published"


def test_hide_needs_a_reason_and_always_tells_the_author(client_for, people, published_post):
    item = services.review_item_open(kind="report", space=published_post.thread.category.space,
                                     target_type="forums.post", target_id=published_post.pk,
                                     member=people["member"])
    client = client_for(people["volunteer"])
    client.post(reverse("moderation:item", args=[item.pk]), {"action": "hide", "reason": ""})
    published_post.refresh_from_db()
    assert published_post.status == ContentStatus.PUBLISHED
    client.post(reverse("moderation:item", args=[item.pk]),
                {"action": "hide", "reason": "Personal details shared"})
    published_post.refresh_from_db()
    assert published_post.status == ContentStatus.HIDDEN
    message = Notification.objects.get(recipient=people["member"], kind="moderator")
    assert message.message == "Personal details shared"


def test_restore_brings_a_hidden_post_back_and_tells_the_author(people, published_post):
    from forums import services as forum_services

    forum_services.post_hide(post=published_post, moderator=people["clinician"], reason="x")
    item = services.review_item_open(kind="report", space=published_post.thread.category.space,
                                     target_type="forums.post", target_id=published_post.pk)
    services.review_item_resolve(item=item, moderator=people["clinician"], action="restore")
    published_post.refresh_from_db()
    assert published_post.status == ContentStatus.PUBLISHED
    assert Notification.objects.filter(recipient=people["member"],
                                       title__contains="restored").exists()


def test_hiding_on_the_thread_page_clears_the_queue_item(people, held_post):
    from forums import services as forum_services

    forum_services.post_hide(post=held_post, moderator=people["clinician"], reason="Spam")
    assert item_for(held_post).resolution == "hide"


def test_members_and_other_spaces_cannot_act(people, held_post, carers_space):
    item = item_for(held_post)
    with pytest.raises(PermissionDenied):
        services.review_item_resolve(item=item, moderator=people["member"], action="approve")
    other = make_user("volunteer", "Carers Volunteer", spaces=[carers_space], moderates=True)
    with pytest.raises(PermissionDenied):
        services.review_item_claim(item=item, moderator=other)


def test_unknown_actions_and_repeat_resolutions_are_refused(people, held_post):
    item = item_for(held_post)
    with pytest.raises(ValidationError):
        services.review_item_resolve(item=item, moderator=people["clinician"], action="explode")
    services.review_item_resolve(item=item, moderator=people["clinician"], action="checked")
    with pytest.raises(ValidationError):
        services.review_item_resolve(item=item, moderator=people["clinician"], action="checked")


def test_wellbeing_suggests_a_break_after_many_high_tier_items(client_for, people, settings,
                                                               staying_well):
    settings.MODERATION_HIGH_TIER_BREAK_AFTER = 2
    for n in range(2):
        item = ReviewItem.objects.create(kind="risk", tier="high", space=staying_well.space,
                                         target_type="x", target_id=n,
                                         due_at=timezone.now())
        services.review_item_resolve(item=item, moderator=people["volunteer"], action="checked")
    page = client_for(people["volunteer"]).get(reverse("moderation:queue")).content.decode()
    assert "Time for a break?" in page
    assert "Time for a break?" not in client_for(people["clinician"]).get(
        reverse("moderation:queue")).content.decode()


def test_edit_with_a_note_keeps_history_and_tells_the_author(client_for, people,
                                                             published_post):
    item = services.review_item_open(kind="report", space=published_post.thread.category.space,
                                     target_type="forums.post", target_id=published_post.pk,
                                     member=people["member"])
    client = client_for(people["volunteer"])
    client.post(reverse("moderation:item", args=[item.pk]),
                {"action": "edit", "body": "A walk helps", "reason": ""})
    published_post.refresh_from_db()
    assert published_post.body == "A walk by the river helps", "no edit without a note"
    client.post(reverse("moderation:item", args=[item.pk]),
                {"action": "edit", "body": "A walk helps", "reason": "Took out a place name"})
    published_post.refresh_from_db()
    assert published_post.body == "A walk helps"
    assert published_post.revisions.get().body == "A walk by the river helps"
    assert Notification.objects.get(recipient=people["member"]).message == \
        "Took out a place name"
    assert AuditEntry.objects.filter(action="forum_post.moderator_edit").exists()


def test_members_cannot_reach_moderation_admin(client_for, people):
    assert client_for(people["clinician"]).get(
        reverse("admin:moderation_riskphrase_changelist")).status_code == 302
    assert client_for(people["admin"]).get(
        reverse("admin:moderation_riskphrase_changelist")).status_code == 200
