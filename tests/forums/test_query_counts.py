"""The thread page and the thread list run a fixed number of queries, at most 12, whatever the
number of posts, reactions and threads."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forums import services
from forums.models import Reaction
from tests.conftest import make_user

MAX_QUERIES = 12


def statements_for(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured]


def queries_for(client, url) -> int:
    return len(statements_for(client, url))


@pytest.fixture
def readers(established, talking):
    return [make_user("member", f"Reader {n}", spaces=[talking]) for n in range(3)]


def grow_thread(thread, authors, posts: int):
    existing = thread.posts.count()
    for n in range(existing, posts):
        post = services.post_create(author=authors[n % len(authors)], thread=thread,
                                    body=f"Post {n} about *staying well*")
        for reader in authors[:2]:
            Reaction.objects.get_or_create(post=post, user=reader, kind="relate")


@pytest.mark.parametrize("role", ["member", "volunteer", "clinician", "admin"])
def test_thread_page_queries_are_constant(client_for, established, thread, readers, role,
                                          forum):
    client = client_for(established[role])
    services.muted_word_add(user=established[role], phrase="nothing-matches")
    url = reverse("forums:thread", args=[thread.pk])
    counts = {}
    for size in (1, 20, 50):
        grow_thread(thread, readers + [established["volunteer"]], size)
        client.get(url)  # the first visit also stores the read marker
        counts[size] = queries_for(client, url)
    assert len(set(counts.values())) == 1, counts
    assert counts[50] <= MAX_QUERIES, counts


@pytest.mark.parametrize("role", ["member", "clinician", "admin"])
def test_thread_page_first_visit_is_within_the_limit(client_for, established, thread, readers,
                                                     role):
    grow_thread(thread, readers, 50)
    assert queries_for(client_for(established[role]),
                       reverse("forums:thread", args=[thread.pk])) <= MAX_QUERIES


@pytest.mark.parametrize("role", ["member", "clinician"])
def test_thread_list_queries_are_constant(client_for, established, forum, readers, role):
    client = client_for(established[role])
    url = reverse("forums:category", args=["talking-therapies", "staying-well"])
    counts = {}
    for size in (1, 20, 50):
        while forum["staying_well"].threads.count() < size:
            n = forum["staying_well"].threads.count()
            thread = services.thread_create(author=readers[n % 3],
                                            category=forum["staying_well"],
                                            title=f"Thread {n}", body="body")
            services.post_create(author=established["volunteer"], thread=thread, body="reply")
        counts[size] = queries_for(client, url)
    assert len(set(counts.values())) == 1, counts
    assert counts[50] <= MAX_QUERIES, counts


@pytest.mark.parametrize("role", ["member", "volunteer"])
def test_pages_count_their_rows_in_the_page_query(client_for, established, thread, forum,
                                                  readers, role):
    """The number of pages comes with the page's own rows, not from a COUNT query beside them."""
    grow_thread(thread, readers, 25)
    client = client_for(established[role])
    pages = {
        "forums_post": reverse("forums:thread", args=[thread.pk]) + "?page=2",
        "forums_thread": reverse("forums:category", args=["talking-therapies", "staying-well"]),
    }
    for table, url in pages.items():
        client.get(url)
        counts_alone = [sql for sql in statements_for(client, url)
                        if sql.startswith(f'SELECT COUNT(*) AS "__count" FROM "{table}"')]
        assert counts_alone == [], url
