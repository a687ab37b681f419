"""Odd input, races and the quieter ways content could leak."""

import logging

import pytest
from django.conf import settings
from django.urls import reverse

from community.models import Notification
from forums import services
from forums.models import Bookmark, Post, Reaction, Thread
from moderation.models import ContentStatus
from tests.conftest import make_user


def test_a_held_threads_title_reaches_nobody_through_mentions(established, forum):
    thread = services.thread_create(author=established["member"], category=forum["good_news"],
                                    title="Secret held title", body="x", ask_for_check=True)
    services.post_create(author=established["clinician"], thread=thread,
                         body="@Volunteer Heron please look")
    assert not Notification.objects.filter(title__contains="Secret held title").exists()


def test_a_never_published_post_leaves_no_placeholder(client_for, established, thread):
    held = services.post_create(author=established["member"], thread=thread,
                                body="second thoughts", ask_for_check=True)
    services.post_remove(post=held, user=established["member"])
    reader = make_user("member", "Other Reader", spaces=[thread.category.space])
    page = client_for(reader).get(reverse("forums:thread", args=[thread.pk])).content.decode()
    assert "removed by its author" not in page
    assert "Quiet Harbour" not in page


def test_members_cannot_act_on_posts_they_cannot_read(client_for, established, thread):
    held = services.post_create(author=established["member"], thread=thread, body="held",
                                ask_for_check=True)
    reader = make_user("member", "Other Reader", spaces=[thread.category.space])
    client = client_for(reader)
    assert client.get(reverse("forums:post", args=[held.pk])).status_code == 404
    assert client.post(reverse("forums:bookmark", args=[held.pk])).status_code == 404
    assert client.post(reverse("forums:react", args=[held.pk]),
                       {"kind": "relate"}).status_code == 404
    assert not Bookmark.objects.exists() and not Reaction.objects.exists()


def test_hidden_threads_stay_open_to_the_spaces_team_and_repliers_are_told(
    client_for, established, thread
):
    services.post_create(author=established["member"], thread=thread, body="my reply")
    services.post_hide(post=thread.posts.get(number=1), moderator=established["clinician"],
                       reason="Private reason for the author")
    url = reverse("forums:thread", args=[thread.pk])
    assert client_for(established["member"]).get(url).status_code == 404
    team_page = client_for(established["volunteer"]).get(url)
    assert team_page.status_code == 200 and "Hidden by a moderator" in team_page.content.decode()
    told = Notification.objects.get(recipient=established["member"])
    assert "was hidden by a moderator" in told.title
    assert "Private reason" not in told.message


def test_restoring_a_hidden_first_post_reopens_the_thread(client_for, established, thread):
    first = thread.posts.get(number=1)
    services.post_hide(post=first, moderator=established["clinician"], reason="r")
    services.post_restore(post=first, moderator=established["clinician"])
    thread.refresh_from_db()
    assert thread.status == ContentStatus.PUBLISHED
    assert client_for(established["member"]).get(
        reverse("forums:thread", args=[thread.pk])).status_code == 200


@pytest.mark.parametrize("query", ["a\x00b", "\x00", "x" * 10_000])
def test_search_survives_nul_and_huge_queries(client_for, established, thread, query):
    assert client_for(established["member"]).get(
        reverse("forums:search"), {"q": query}).status_code == 200


def test_huge_ids_are_not_found(client_for, established, thread):
    client = client_for(established["member"])
    huge = "9" * 30
    assert client.get(f"/forums/t/{huge}/").status_code == 404
    assert client.get(f"/forums/p/{huge}/").status_code == 404
    response = client.post(reverse("forums:filters"), {"unignore": huge})
    assert response.status_code == 404
    assert client.get(reverse("forums:thread", args=[thread.pk]),
                      {"quote": huge}).status_code == 200


def test_many_mentions_do_not_break_posting(established, thread):
    body = " ".join(f"@n{n}" for n in range(1500)) + " @Volunteer Heron"
    post = services.post_create(author=established["member"], thread=thread, body=body)
    assert post.status == ContentStatus.PUBLISHED


def test_double_submitted_reactions_and_bookmarks_are_fine(established, thread):
    post = thread.posts.get()
    Reaction.objects.create(post=post, user=established["member"], kind="thanks")
    assert services._create_once(Reaction, post=post, user=established["member"], kind="thanks")
    assert Reaction.objects.filter(post=post).count() == 1


def test_refusals_say_why(client_for, established, thread):
    first = thread.posts.get()
    response = client_for(established["member"]).post(reverse("forums:remove", args=[first.pk]))
    assert response.status_code == 403
    assert "You can only remove your own posts." in response.content.decode()


def test_signed_in_pages_are_not_cached(client_for, established, thread):
    response = client_for(established["member"]).get(reverse("forums:thread", args=[thread.pk]))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_moving_needs_the_team_and_lists_categories_once(client_for, established, thread,
                                                         forum):
    page = client_for(established["admin"]).get(
        reverse("forums:moderate_thread", args=[thread.pk, "move"])).content.decode()
    assert "Relatives and Carers: Carers&#x27; corner" in page
    client_for(established["admin"]).post(
        reverse("forums:moderate_thread", args=[thread.pk, "move"]),
        {"category": forum["carers_corner"].pk})
    assert Thread.objects.get(pk=thread.pk).category == forum["carers_corner"]


def test_every_logger_that_prints_paths_goes_through_the_redacting_filter():
    """Log records about /join/<code>/ reach the console without the code, from every logger
    Django and daphne print request paths with."""
    import io

    from community.logging import RedactSecretsFilter

    for name in ("django.request", "django.server", "django.channels.server", "daphne",
                 "django.security.csrf"):
        logger = logging.getLogger(name)
        handlers = []
        current = logger
        while current:
            # The configured console handlers; pytest adds capture handlers of its own.
            handlers.extend(h for h in current.handlers if type(h) is logging.StreamHandler)
            current = current.parent if current.propagate else None
        assert handlers, name
        for handler in handlers:
            assert any(isinstance(f, RedactSecretsFilter) for f in handler.filters), name
            stream = io.StringIO()
            original = handler.setStream(stream) if hasattr(handler, "setStream") else None
            try:
                logger.warning("Gone: %s", "/join/SECRET-CODE-123/")
            finally:
                if original is not None:
                    handler.setStream(original)
            assert "SECRET-CODE-123" not in stream.getvalue()
            assert "/join/[code]" in stream.getvalue()
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["redact_secrets"]


def test_removed_first_post_keeps_its_title_as_documented(established, thread):
    services.post_remove(post=thread.posts.get(), user=established["peer_supporter"])
    assert Thread.objects.get(pk=thread.pk).status == ContentStatus.PUBLISHED
    assert Post.objects.get(thread=thread, number=1).status == ContentStatus.REMOVED
