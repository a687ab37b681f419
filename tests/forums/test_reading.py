"""Unread tracking, personal filters and search."""

import pytest
from django.db import connection
from django.urls import reverse

from forums import selectors, services
from forums.models import MutedWord, Post, Thread
from tests.conftest import missing_outside_ci
from tests.forums.conftest import add_replies
from tests.html import elements, parse, text_of


def listing(client):
    return client.get(reverse("forums:category", args=["talking-therapies", "staying-well"]))


def test_unread_markers_and_jump_to_first_unread(client_for, established, thread):
    client = client_for(established["member"])
    assert "Unread" in listing(client).content.decode()
    client.get(reverse("forums:thread", args=[thread.pk]))
    assert "harbour-unread" not in listing(client).content.decode()
    add_replies(thread, established["volunteer"], 25)
    assert "posts since your last visit" in listing(client).content.decode()
    jump = client.get(reverse("forums:first_unread", args=[thread.pk]))
    assert jump.url == f"{reverse('forums:thread', args=[thread.pk])}?page=1#post-2"
    page = parse(client.get(reverse("forums:thread", args=[thread.pk])))
    new_posts = [a.get("id") for a in elements(page, "article")
                 if "harbour-post--new" in a.get("class", "")]
    assert new_posts[0] == "post-2" and len(new_posts) == 19
    client.get(reverse("forums:thread", args=[thread.pk]), {"page": 2})
    jump = client.get(reverse("forums:first_unread", args=[thread.pk]))
    assert jump.url.endswith("?page=2#post-26")


def test_held_posts_of_others_do_not_count_as_unread(client_for, established, thread):
    client = client_for(established["member"])
    client.get(reverse("forums:thread", args=[thread.pk]))
    services.post_create(author=established["volunteer"],
                         thread=thread, body="held", ask_for_check=True)
    assert "harbour-unread" not in listing(client).content.decode()


def test_muted_theme_collapses_matching_posts_naming_the_theme(client_for, established, thread):
    services.post_create(author=established["volunteer"], thread=thread,
                         body="I changed my Sertraline dose last week.")
    services.muted_word_add(user=established["member"], theme="medication")
    page = parse(client_for(established["member"]).get(
        reverse("forums:thread", args=[thread.pk])))
    summaries = [text_of(s) for s in elements(page, "summary")]
    assert "Collapsed because it mentions Medication, which you muted. Show anyway" in summaries
    details = [d for d in elements(page, "details") if "harbour-collapsed" in d.get("class", "")]
    assert "Sertraline" in text_of(details[0]), "the text is there behind Show anyway"


def test_muted_word_collapses_on_word_boundaries(client_for, established, thread):
    services.post_create(author=established["volunteer"], thread=thread, body="My exams are near")
    services.post_create(author=established["volunteer"], thread=thread, body="Exam stress")
    services.muted_word_add(user=established["member"], phrase="exam")
    page = client_for(established["member"]).get(
        reverse("forums:thread", args=[thread.pk])).content.decode()
    assert page.count("which you muted") == 1


def test_ignored_member_posts_are_collapsed(client_for, established, thread):
    client = client_for(established["member"])
    response = client.post(reverse("forums:filters"),
                           {"ignore": "1", "display_name": "peer skylark"})
    assert response.status_code == 302
    page = client.get(reverse("forums:thread", args=[thread.pk])).content.decode()
    assert "Collapsed because you are ignoring Peer Skylark. Show anyway" in page


def test_filter_form_errors(client_for, established):
    client = client_for(established["member"])
    nobody = client.post(reverse("forums:filters"), {"ignore": "1", "display_name": "Nobody"})
    assert nobody.status_code == 400 and "Nobody has that display name" in nobody.content.decode()
    empty = client.post(reverse("forums:filters"), {"mute": "1", "phrase": "", "theme": ""})
    assert empty.status_code == 400 and "Type a word or choose a theme" in empty.content.decode()
    myself = client.post(reverse("forums:filters"),
                         {"ignore": "1", "display_name": "Quiet Harbour"})
    assert myself.status_code == 400
    client.post(reverse("forums:filters"), {"mute": "1", "phrase": "Exams"})
    muted = MutedWord.objects.get(user=established["member"])
    client.post(reverse("forums:filters"), {"unmute": muted.pk})
    assert not MutedWord.objects.exists()


def search(client, q):
    return client.get(reverse("forums:search"), {"q": q}).content.decode()


def test_search_finds_published_posts_and_titles(client_for, established, thread, forum):
    services.post_create(author=established["volunteer"], thread=thread,
                         body="Swimming helps my mood")
    client = client_for(established["member"])
    assert "Swimming helps my mood" in search(client, "swimming")
    assert "What helps on a low day?" in search(client, "low day")


def test_search_finds_a_post_by_the_words_it_has_now(client_for, established, thread):
    """After a moderator takes a phone number out of a post, or its author rewrites it, the old
    words no longer find it and the new ones do."""
    post = services.post_create(author=established["volunteer"], thread=thread,
                                body="Ring me on 07700 900123 about the allotment")
    client = client_for(established["member"])
    assert "about the allotment" in search(client, "900123")
    services.post_moderator_edit(post=post, moderator=established["clinician"],
                                 body="Ask me about the allotment", note="We took out a number.")
    assert "about the allotment" not in search(client, "900123")
    assert "Ask me about the allotment" in search(client, "allotment")
    services.post_edit(post=post, editor=established["volunteer"],
                       body="Ask me about the greenhouse")
    assert "Ask me about the greenhouse" in search(client, "greenhouse")
    assert "Ask me about" not in search(client, "allotment")


def test_search_never_shows_other_spaces_or_unpublished_posts(client_for, established, thread,
                                                              forum):
    carers = services.thread_create(author=established["carer"],
                                    category=forum["carers_corner"], title="Carer zebra",
                                    body="zebra in carers space")
    held = services.post_create(author=established["volunteer"], thread=thread,
                                body="zebra held", ask_for_check=True)
    hidden = services.post_create(author=established["volunteer"], thread=thread,
                                  body="zebra hidden")
    services.post_hide(post=hidden, moderator=established["clinician"], reason="x")
    removed = services.post_create(author=established["volunteer"], thread=thread,
                                   body="zebra removed")
    services.post_remove(post=removed, user=established["volunteer"])
    for role in ("member", "volunteer"):
        results = search(client_for(established[role]), "zebra")
        for text in ("zebra in carers space", "Carer zebra", "zebra held", "zebra hidden",
                     "zebra removed"):
            assert text not in results, (role, text)
    assert "zebra in carers space" in search(client_for(established["carer"]), "zebra")
    assert carers and held


def test_search_handles_odd_queries(client_for, established, thread):
    client = client_for(established["member"])
    for q in ["", "   ", "'", '"unclosed', "a & b | !c", "x" * 5000, "<script>", "%_%"]:
        response = client.get(reverse("forums:search"), {"q": q})
        assert response.status_code == 200


def settle_search_indexes() -> None:
    """As on a live forum, where vacuuming has moved new posts' words into the full-text indexes
    proper (just inserted, they wait in each index's pending list, which the planner prices
    high) and the tables have their statistics."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(indexrelid) FROM pg_index JOIN pg_class "
                       "ON pg_class.oid = indexrelid JOIN pg_am ON pg_am.oid = relam "
                       "WHERE amname = 'gin'")
        cursor.execute("ANALYZE")


def test_search_on_postgresql_uses_the_gin_index(established, thread):
    """On PostgreSQL the query the search runs can use the GIN index; on SQLite (no such
    index) the fallback search must still find the post."""
    _, posts = selectors.search(established["member"], "river")
    assert [post.thread_id for post in posts] == [thread.pk]
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"
        return
    # Enough ordinary posts and threads that a scan would cost more than the index.
    Post.objects.bulk_create(
        Post(thread=thread, author=established["volunteer"], number=n, body=f"ordinary day {n}",
             body_html="", status="published", was_published=True)
        for n in range(2, 3002)
    )
    Thread.objects.bulk_create(
        Thread(category=thread.category, title=f"Ordinary title {n}",
               author=established["volunteer"]) for n in range(3000)
    )
    settle_search_indexes()
    threads, posts = selectors.search_querysets(established["member"], "river")
    assert "forums_postsearchdocument_gin" in posts.explain()
    assert "forums_thread_title_fts" in threads.explain()


@pytest.mark.parametrize("one_post_in", [10, 100])
def test_no_search_makes_documents_again_from_the_posts_texts(
        established, thread, monkeypatch, one_post_in):
    """A word in 1 post of 10 or of 100, with more such posts than a search ranks. PostgreSQL
    tested posts one by one from the newest for such words, making each one's search document
    from its text: on a million posts 0.6 to 2.4 s for words in 2% to 14% of them, where
    reading stored documents takes 0.01 to 0.11 s (docs/performance.md, changes 27, 31, 32)."""
    if connection.vendor != "postgresql":
        missing_outside_ci("This test needs PostgreSQL: set DATABASE_URL (CI does).")
    monkeypatch.setattr(selectors, "SEARCH_RANKED_MATCHES", 10)
    Post.objects.bulk_create(
        Post(thread=thread, author=established["volunteer"], number=n,
             body=f"a kestrel over the fields, day {n}" if n % one_post_in == 0 else
             f"an ordinary day, number {n}",
             body_html="", status="published", was_published=True)
        for n in range(2, 20002)
    )
    settle_search_indexes()
    _, posts = selectors.search_querysets(established["member"], "kestrel")
    plan = posts.explain()
    assert "forums_post_document" not in plan, plan
    assert "to_tsvector" not in plan, plan
    newest = list(Post.objects.filter(body__contains="kestrel").order_by("-pk")
                  .values_list("pk", flat=True)[:10])
    assert sorted(post.pk for post in posts) == sorted(newest)


def test_search_ranks_only_the_newest_matches(established, thread, monkeypatch):
    """A common word costs no more than a rare one: on PostgreSQL only the newest matches are
    ranked, best first; the fallback lists the newest first."""
    monkeypatch.setattr(selectors, "SEARCH_RANKED_MATCHES", 3)
    oldest = services.post_create(author=established["volunteer"], thread=thread,
                                  body="kestrel kestrel kestrel kestrel, the best match but old")
    newer = [services.post_create(author=established["volunteer"], thread=thread,
                                  body=f"a kestrel seen on day {day}") for day in range(3)]
    best_of_newest = services.post_create(author=established["volunteer"], thread=thread,
                                          body="kestrel and another kestrel")
    _, posts = selectors.search(established["member"], "kestrel")
    found = [post.pk for post in posts]
    assert oldest.pk not in found
    assert set(found) == {best_of_newest.pk, newer[2].pk, newer[1].pk}
    if connection.vendor == "postgresql":
        assert found[0] == best_of_newest.pk
