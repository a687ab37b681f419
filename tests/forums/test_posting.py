"""Starting threads and replying: limits, holds, quotes, edits and removal."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.models import Post, PostRevision, Thread
from moderation.models import ContentStatus, Suspension
from tests.forums.conftest import add_replies
from tests.html import elements, parse, text_of


def new_thread(client, category, **data):
    return client.post(
        reverse("forums:new_thread", args=[category.space.slug, category.slug]),
        {"title": "A title", "body": "A body", **data},
    )


def test_member_starts_a_thread_and_it_renders_markdown(client_for, established, forum):
    response = new_thread(client_for(established["member"]), forum["staying_well"],
                          title="Walking helps", body="I walk *every* morning.")
    assert response.status_code == 302
    thread = Thread.objects.get(title="Walking helps")
    page = client_for(established["member"]).get(response.url).content.decode()
    assert "I walk <em>every</em> morning." in page
    assert thread.posts.get().status == ContentStatus.PUBLISHED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "This field is required"),
        ({"body": "   "}, "This field is required"),
        ({"title": "x" * 151}, "at most 150 characters"),
        ({"body": "y" * 10_001}, "at most 10000 characters"),
    ],
)
def test_bad_threads_are_refused_and_nothing_typed_is_lost(
    client_for, established, forum, data, message
):
    typed = {"title": "Kept title", "body": "Kept body text", **data}
    response = new_thread(client_for(established["member"]), forum["staying_well"], **typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    if typed["title"].strip():
        assert typed["title"] in page
    if typed["body"].strip():
        assert typed["body"] in page
    assert not Thread.objects.exists()


def test_limits_hold_in_the_service_too(established, forum):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.thread_create(author=established["member"], category=forum["staying_well"],
                               title="t" * 151, body="b")
    with pytest.raises(ValidationError):
        services.thread_create(author=established["member"], category=forum["staying_well"],
                               title="t", body="b" * 10_001)


def test_posting_without_a_key_is_a_404(client_for, established, forum):
    response = new_thread(client_for(established["carer"]), forum["staying_well"])
    assert response.status_code == 404
    assert not Thread.objects.exists()


def test_replying_without_a_key_is_a_404(client_for, established, thread):
    response = client_for(established["carer"]).post(
        reverse("forums:reply", args=[thread.pk]), {"body": "hello"}
    )
    assert response.status_code == 404


def test_replying_to_a_locked_thread_is_refused_with_the_text_kept(
    client_for, established, thread
):
    services.thread_lock(thread=thread, moderator=established["clinician"], locked=True)
    response = client_for(established["member"]).post(
        reverse("forums:reply", args=[thread.pk]), {"body": "My careful words"}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "This thread is locked" in page
    assert "My careful words" in page
    assert thread.posts.count() == 1


def test_moderators_can_still_reply_to_a_locked_thread(established, thread):
    services.thread_lock(thread=thread, moderator=established["clinician"], locked=True)
    post = services.post_create(author=established["clinician"], thread=thread, body="Note")
    assert post.number == 2


def test_member_suspended_in_a_space_cannot_post_there_and_keeps_their_text(
    client_for, established, thread
):
    Suspension.objects.create(user=established["member"], space=thread.category.space,
                              reason="Cooling off", ends_at=timezone.now() + timedelta(days=2))
    response = client_for(established["member"]).post(
        reverse("forums:reply", args=[thread.pk]), {"body": "Words I typed"}
    )
    assert response.status_code == 403
    assert "your account is paused" in response.content.decode()
    assert "Words I typed" in response.content.decode()
    new = new_thread(client_for(established["member"]), thread.category, body="Thread words")
    assert new.status_code == 403
    assert "Thread words" in new.content.decode()


def test_unknown_thread_and_post_ids_are_404(client_for, established, thread):
    client = client_for(established["member"])
    assert client.get(reverse("forums:thread", args=[thread.pk + 100])).status_code == 404
    assert client.post(reverse("forums:reply", args=[999999]), {"body": "x"}).status_code == 404
    assert client.get(reverse("forums:edit", args=[999999])).status_code == 404


def test_a_new_members_first_three_posts_are_held(people, forum, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 3
    member = people["member"]
    thread = services.thread_create(author=member, category=forum["staying_well"],
                                    title="First", body="My first post")
    assert thread.status == ContentStatus.HELD
    first = thread.posts.get()
    assert first.status == ContentStatus.HELD
    services.post_approve(post=first, moderator=people["clinician"])
    second = services.post_create(author=member, thread=thread, body="second")
    assert second.status == ContentStatus.HELD
    services.post_approve(post=second, moderator=people["clinician"])
    third = services.post_create(author=member, thread=thread, body="third")
    services.post_approve(post=third, moderator=people["clinician"])
    fourth = services.post_create(author=member, thread=thread, body="fourth")
    assert fourth.status == ContentStatus.PUBLISHED


def test_the_moderating_team_is_not_held(people, forum, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 3
    thread = services.thread_create(author=people["volunteer"], category=forum["good_news"],
                                    title="Hello", body="From the team")
    assert thread.status == ContentStatus.PUBLISHED


def test_asking_a_moderator_to_check_holds_the_post(client_for, established, thread):
    response = client_for(established["member"]).post(
        reverse("forums:reply", args=[thread.pk]),
        {"body": "Not sure about this one", "ask_for_check": "on"},
    )
    assert response.status_code == 302
    post = thread.posts.get(number=2)
    assert post.status == ContentStatus.HELD
    assert "You asked a moderator" in post.held_because


def test_held_posts_show_only_to_author_and_moderators(client_for, established, thread):
    post = services.post_create(author=established["member"], thread=thread,
                                body="Held words here", ask_for_check=True)
    url = reverse("forums:thread", args=[thread.pk])
    author_page = client_for(established["member"]).get(url).content.decode()
    assert "Held words here" in author_page and "Waiting for a moderator" in author_page
    assert "Held words here" in client_for(established["clinician"]).get(url).content.decode()
    assert "Held words here" in client_for(established["admin"]).get(url).content.decode()
    for other in ("volunteer", "peer_supporter"):
        assert "Held words here" in client_for(established[other]).get(url).content.decode()
    assert "Held words here" not in client_for(established["member_without_key"]).get(
        url).content.decode()
    another = established["member"].__class__.objects.create_user(
        "another@example.org", "x-long-password-1", display_name="Another Member",
    )
    another.keys.create(space=thread.category.space)
    assert "Held words here" not in client_for(another).get(url).content.decode()
    services.post_approve(post=post, moderator=established["clinician"])
    assert "Held words here" in client_for(another).get(url).content.decode()


def test_quoting_a_post(client_for, established, thread):
    first = thread.posts.get()
    client = client_for(established["member"])
    form_page = client.get(reverse("forums:thread", args=[thread.pk]), {"quote": first.pk})
    assert "Quoting Peer Skylark" in form_page.content.decode()
    client.post(reverse("forums:reply", args=[thread.pk]),
                {"body": "Same for me", "quote": first.pk})
    reply = thread.posts.get(number=2)
    assert reply.quoted == first
    page = parse(client.get(reverse("forums:thread", args=[thread.pk])))
    quotes = [text_of(q) for q in elements(page, "blockquote")]
    assert any("Peer Skylark wrote:" in q and "walk by the river" in q for q in quotes)


def test_quote_of_a_post_from_another_thread_is_ignored(established, thread, forum):
    other = services.thread_create(author=established["clinician"], category=forum["good_news"],
                                   title="Other", body="elsewhere")
    reply = services.post_create(author=established["member"], thread=thread, body="x",
                                 quoted=other.posts.get())
    assert reply.quoted is None


def test_editing_within_thirty_minutes_keeps_history(client_for, established, thread):
    [post] = add_replies(thread, established["member"], 1)
    client = client_for(established["member"])
    response = client.post(reverse("forums:edit", args=[post.pk]), {"body": "Better words"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == "Better words" and post.edited_at
    assert list(PostRevision.objects.filter(post=post).values_list("body", flat=True)) == [
        "Reply number 0"
    ]
    history_url = reverse("forums:history", args=[post.pk])
    assert client.get(history_url).status_code == 403
    history = client_for(established["peer_supporter"]).get(history_url)
    assert history.status_code == 200 and "Reply number 0" in history.content.decode()


def test_editing_after_thirty_minutes_is_refused(client_for, established, thread):
    [post] = add_replies(thread, established["member"], 1)
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        client = client_for(established["member"])
        assert client.get(reverse("forums:edit", args=[post.pk])).status_code == 403
        response = client.post(reverse("forums:edit", args=[post.pk]), {"body": "Late edit"})
    assert response.status_code == 403
    assert "30 minutes" in response.content.decode()
    assert "Late edit" in response.content.decode()
    post.refresh_from_db()
    assert post.body == "Reply number 0"


def test_nobody_edits_someone_elses_post(client_for, established, thread):
    first = thread.posts.get()
    response = client_for(established["member"]).post(
        reverse("forums:edit", args=[first.pk]), {"body": "Hijack"}
    )
    assert response.status_code == 403
    first.refresh_from_db()
    assert first.body != "Hijack"


def test_removing_your_own_post_leaves_a_placeholder_and_replies(client_for, established, thread):
    [mine] = add_replies(thread, established["member"], 1)
    [later] = add_replies(thread, established["volunteer"], 1)
    client = client_for(established["member"])
    assert client.post(reverse("forums:remove", args=[mine.pk])).status_code == 302
    page = client_for(established["volunteer"]).get(
        reverse("forums:thread", args=[thread.pk])
    ).content.decode()
    assert "removed by its author" in page
    assert "Reply number 0" in page  # the volunteer's reply stays
    mine.refresh_from_db()
    assert mine.status == ContentStatus.REMOVED
    assert Post.objects.filter(pk=later.pk, status=ContentStatus.PUBLISHED).exists()
    refused = client.post(reverse("forums:remove", args=[later.pk]))
    assert refused.status_code == 403
    assert "You can only remove your own posts." in refused.content.decode(), "says why"
    own = client_for(established["volunteer"]).post(reverse("forums:remove", args=[later.pk]))
    assert own.status_code == 302


def test_reply_counts_and_activity(established, thread):
    add_replies(thread, established["member"], 3)
    thread.refresh_from_db()
    assert thread.reply_count == 3
    assert thread.last_activity_at == thread.posts.order_by("-number").first().created_at


def test_the_edit_link_shows_only_while_editing_is_allowed(client_for, established, thread):
    [post] = add_replies(thread, established["member"], 1)
    url = reverse("forums:thread", args=[thread.pk])
    edit = reverse("forums:edit", args=[post.pk])
    assert edit in client_for(established["member"]).get(url).content.decode()
    assert edit not in client_for(established["volunteer"]).get(url).content.decode()
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert edit not in client_for(established["member"]).get(url).content.decode()
