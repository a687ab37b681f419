"""Posts' stored search documents (PostgreSQL only): the database keeps them with the texts,
so that a search finds each post by the words it has now and by no other (migration 0006)."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from community.erasure import account_erase
from forums import selectors, services
from forums.models import Post, PostSearchDocument
from tests.conftest import PASSWORD, missing_outside_ci


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        missing_outside_ci("This test needs PostgreSQL: set DATABASE_URL (CI does).")


def lexemes(post: Post) -> set[str]:
    """The words a post's stored document holds, as PostgreSQL stemmed them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM forums_postsearchdocument, unnest(document) AS u(word) "
                       "WHERE post_id = %s", [post.pk])
        return {row[0] for row in cursor.fetchall()}


def stored_version(post: Post) -> str:
    """Where the post's document row lies: every rewrite of it, even to the same words, moves
    it, and leaves a dead row behind for vacuum."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT ctid::text FROM forums_postsearchdocument WHERE post_id = %s",
                       [post.pk])
        return cursor.fetchone()[0]


def full_text_indexes() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexrelid::regclass::text FROM pg_index JOIN pg_class "
                       "ON pg_class.oid = indexrelid JOIN pg_am ON pg_am.oid = relam "
                       "WHERE amname = 'gin'")
        return {row[0] for row in cursor.fetchall()}


def found(user, words: str) -> list[int]:
    _, posts = selectors.search(user, words)
    return [post.pk for post in posts]


def test_erasing_a_members_words_leaves_none_in_the_search_documents(
        on_postgresql, established, thread):
    author = established["volunteer"]
    post = services.post_create(author=author, thread=thread,
                                body="My sister Philippa lives in Scunthorpe")
    assert {"philippa", "scunthorp"} <= lexemes(post)
    account_erase(user=author, password=PASSWORD, delete_text=True)
    assert lexemes(post) == set()


def test_a_deleted_post_takes_its_search_document(on_postgresql, established, thread):
    post = services.post_create(author=established["volunteer"], thread=thread,
                                body="A kestrel over the allotment")
    assert PostSearchDocument.objects.filter(post_id=post.pk).exists()
    Post.objects.filter(pk=post.pk).delete()
    assert not PostSearchDocument.objects.filter(post_id=post.pk).exists()


def test_only_a_change_of_text_rewrites_a_posts_search_document(
        on_postgresql, established, thread):
    """A write that leaves the text as it was (here a moderator's edit) costs no new document;
    one that changes it gives the post its new words."""
    post = services.post_create(author=established["volunteer"], thread=thread,
                                body="A kestrel over the allotment")
    moderator = established["clinician"]
    before = stored_version(post)
    services.post_moderator_edit(post=post, moderator=moderator,
                                 body="A kestrel over the allotment", note="Checked it")
    assert stored_version(post) == before
    services.post_moderator_edit(post=post, moderator=moderator,
                                 body="A buzzard over the allotment", note="Name fixed")
    assert stored_version(post) != before
    assert "buzzard" in lexemes(post) and "kestrel" not in lexemes(post)


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_the_posts_already_there_their_documents(
        on_postgresql, established, thread, monkeypatch):
    """A forum upgraded to migrations 0006 and 0007 finds its existing posts, not only new
    ones, a batch of posts at a time; a document the triggers wrote meanwhile is kept."""
    reply = services.post_create(author=established["volunteer"], thread=thread, body="Reply")
    first = thread.posts.get(number=1)
    monkeypatch.setattr(importlib.import_module(
        "forums.migrations.0007_post_search_document_index"), "POSTS_PER_BATCH", 1)
    executor = MigrationExecutor(connection)
    executor.migrate([("forums", "0005_post_document_function")])
    assert full_text_indexes() == {"forums_post_document_gin", "forums_thread_title_fts"}
    with connection.cursor() as cursor:
        cursor.execute("UPDATE forums_post SET body = 'Heron by the weir' WHERE id = %s",
                       [first.pk])
        cursor.execute("UPDATE forums_post SET body = 'Otters at dusk' WHERE id = %s",
                       [reply.pk])
    executor.loader.build_graph()
    executor.migrate([("forums", "0006_post_search_document")])
    with connection.cursor() as cursor:  # as an edit during the fill-in would leave it
        cursor.execute("INSERT INTO forums_postsearchdocument (post_id, document) "
                       "VALUES (%s, to_tsvector('english', 'Kingfisher at dusk'))", [reply.pk])
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert full_text_indexes() == {"forums_postsearchdocument_gin", "forums_thread_title_fts"}
    assert "heron" in lexemes(first)
    assert "kingfish" in lexemes(reply) and "otter" not in lexemes(reply)
    assert found(established["member"], "heron") == [first.pk]
