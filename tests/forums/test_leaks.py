"""Held, hidden and removed content never shows where it must not: lists, the home feed,
search, notifications, mentions, saved posts and reactions."""

import pytest
from django.urls import reverse

from forums import services
from tests.conftest import make_user

SECRET = "Moonlit heron words"


@pytest.fixture
def reader(talking):
    return make_user("member", "Curious Reader", spaces=[talking])


@pytest.fixture
def unpublished(established, forum):
    """One thread in each state that must stay out of sight, each carrying SECRET."""
    held = services.thread_create(author=established["member"], category=forum["staying_well"],
                                  title=f"{SECRET} held", body=f"{SECRET} held body "
                                  "@Curious Reader", ask_for_check=True)
    hidden = services.thread_create(author=established["member"],
                                    category=forum["staying_well"], title=f"{SECRET} hidden",
                                    body=f"{SECRET} hidden body @Curious Reader")
    services.post_hide(post=hidden.posts.get(), moderator=established["clinician"], reason="r")
    removed = services.thread_create(author=established["member"],
                                     category=forum["staying_well"], title="Removed one",
                                     body=f"{SECRET} removed body @Curious Reader")
    services.post_remove(post=removed.posts.get(), user=established["member"])
    return {"held": held, "hidden": hidden, "removed": removed}


def pages_for(client, threads):
    urls = [
        reverse("home"),
        reverse("forums:index"),
        reverse("forums:category", args=["talking-therapies", "staying-well"]),
        reverse("forums:search") + "?q=moonlit",
        reverse("forums:search") + "?q=heron",
        reverse("forums:saved"),
        reverse("notifications"),
        reverse("forums:thread", args=[threads["removed"].pk]),
    ]
    return {url: client.get(url).content.decode() for url in urls}


def test_nothing_unpublished_reaches_another_member(client_for, reader, unpublished):
    for url, page in pages_for(client_for(reader), unpublished).items():
        assert SECRET not in page, url
    for state in ("held", "hidden"):
        response = client_for(reader).get(reverse("forums:thread",
                                                  args=[unpublished[state].pk]))
        assert response.status_code == 404


def test_mentions_in_unpublished_posts_notify_nobody(reader, unpublished):
    assert not reader.notifications.exists()


def test_the_author_sees_their_held_thread_marked_as_waiting(client_for, established,
                                                             unpublished):
    page = client_for(established["member"]).get(
        reverse("forums:category", args=["talking-therapies", "staying-well"])).content.decode()
    assert f"{SECRET} held" in page and "Waiting for a moderator" in page
    assert f"{SECRET} hidden" not in page


def test_thread_counts_ignore_unpublished_threads(client_for, reader, unpublished):
    page = client_for(reader).get(reverse("forums:index")).content.decode()
    assert "(1 thread)" in page  # only the thread whose first post was removed by its author


def test_no_reactions_or_bookmarks_on_hidden_posts(client_for, reader, unpublished):
    post = unpublished["hidden"].posts.get()
    client = client_for(reader)
    assert client.post(reverse("forums:react", args=[post.pk]),
                       {"kind": "relate"}).status_code == 404
    assert client.post(reverse("forums:bookmark", args=[post.pk])).status_code == 404
