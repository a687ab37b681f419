"""Pages of a thread and of a thread list: which posts each page shows, how many pages a reader
is told there are, and where a page number that is out of range or not a number leads."""

import pytest
from django.core.paginator import Paginator
from django.urls import reverse

from forums import selectors, services
from forums.models import Post, Reaction
from tests.forums.conftest import add_replies
from tests.html import elements, parse, text_of

FIRST, SECOND, LAST = list(range(1, 21)), list(range(21, 41)), list(range(41, 46))


def where_it_is(page) -> list[str]:
    """What the page's pagination says about where it is ("Page 2 of 3")."""
    return [text_of(item) for item in elements(page, "li") if text_of(item).startswith("Page ")]


def shown(response) -> tuple[list[int], str]:
    """The post numbers on the page, and what the page says about where it is."""
    assert response.status_code == 200
    page = parse(response)
    numbers = [int(article.get("id").removeprefix("post-"))
               for article in elements(page, "article")]
    where = where_it_is(page)
    return numbers, where[0] if where else ""


@pytest.fixture
def long_thread(established, thread):
    add_replies(thread, established["volunteer"], 44)  # 45 posts: three pages
    return thread


@pytest.mark.parametrize("asked, numbers, where", [
    (None, FIRST, "Page 1 of 3"),
    ("2", SECOND, "Page 2 of 3"),
    ("3", LAST, "Page 3 of 3"),
    # Past the end, or below 1: the last page, as Django's paginator has it.
    ("4", LAST, "Page 3 of 3"),
    ("999999999999", LAST, "Page 3 of 3"),
    ("9" * 40, LAST, "Page 3 of 3"),  # past what the database's OFFSET can hold
    ("0", LAST, "Page 3 of 3"),
    ("-2", LAST, "Page 3 of 3"),
    # Not a whole number: the first page.
    ("two", FIRST, "Page 1 of 3"),
    ("2.5", FIRST, "Page 1 of 3"),
    ("", FIRST, "Page 1 of 3"),
])
def test_each_page_of_a_thread_shows_its_posts(client_for, established, long_thread, asked,
                                              numbers, where):
    url = reverse("forums:thread", args=[long_thread.pk])
    query = {} if asked is None else {"page": asked}
    response = client_for(established["member"]).get(url, query)
    assert shown(response) == (numbers, where)


def test_the_number_of_pages_counts_only_what_the_reader_may_see(client_for, established,
                                                                 thread):
    add_replies(thread, established["volunteer"], 39)  # 40 published posts
    services.post_create(author=established["peer_supporter"], thread=thread,
                         body="Please could a moderator check this first.", ask_for_check=True)
    url = reverse("forums:thread", args=[thread.pk])

    member = client_for(established["member"])
    assert shown(member.get(url, {"page": 2})) == (SECOND, "Page 2 of 2")
    assert shown(member.get(url, {"page": 3})) == (SECOND, "Page 2 of 2")

    moderator = client_for(established["volunteer"])
    assert shown(moderator.get(url, {"page": 3})) == ([41], "Page 3 of 3")


def test_each_page_of_a_thread_list_shows_its_threads(client_for, established, forum):
    for n in range(25):
        services.thread_create(author=established["peer_supporter"],
                               category=forum["staying_well"], title=f"Thread number {n}",
                               body="What helped this week.")
    url = reverse("forums:category", args=["talking-therapies", "staying-well"])
    client = client_for(established["member"])

    def titles_and_where(page):
        tree = parse(client.get(url, {"page": page}))
        titles = [text_of(link) for link in elements(tree, "a")
                  if text_of(link).startswith("Thread number ")]
        return len(titles), where_it_is(tree)

    assert titles_and_where(1) == (20, ["Page 1 of 2"])
    assert titles_and_where(2) == (5, ["Page 2 of 2"])
    assert titles_and_where(7) == (5, ["Page 2 of 2"])
    assert titles_and_where("x") == (20, ["Page 1 of 2"])


def test_a_distinct_or_grouped_listing_is_paged_as_django_pages_it(established, thread):
    """Rows a join repeats (distinct) or groups (an aggregate) are counted as Django counts them."""
    posts = add_replies(thread, established["volunteer"], 4)
    for post in posts[:3]:
        for who in ("member", "clinician"):
            Reaction.objects.create(post=post, user=established[who], kind="relate")
    listings = [
        Post.objects.filter(thread=thread, reactions__isnull=False).distinct().order_by("number"),
        selectors.categories_for(established["member"]).order_by("pk"),
    ]
    for listing in listings:
        for asked in (None, "1", "2", "3", "9"):
            ours, django = selectors._page(listing, 2, asked), Paginator(listing, 2).get_page(asked)
            assert [row.pk for row in ours] == [row.pk for row in django]
            assert (ours.number, ours.paginator.count) == (django.number, django.paginator.count)
