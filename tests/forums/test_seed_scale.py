"""manage.py seed_scale: the benchmark's large forum, consistent with what the services keep
(counters, numbering), idempotent, and refused where it makes no sense."""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max

from community.models import Key, Space
from forums.management.commands import seed_scale
from forums.models import Post, Reaction, Thread

pytestmark = pytest.mark.django_db


def seed(**counts):
    options = {"threads": 12, "posts": 90, "members": 6, "categories": 3, "reactions": 1.0}
    call_command("seed_scale", **{**options, **counts}, stdout=StringIO())


def test_seeds_threads_and_posts_the_services_would_have_counted(settings):
    settings.DEBUG = True
    seed()
    space = Space.objects.get(slug="scale")
    threads = Thread.objects.filter(category__space=space)
    assert threads.count() == 12
    assert Post.objects.filter(thread__category__space=space).count() == 90
    for thread in threads.annotate(seeded=Count("posts"), top=Max("posts__number")):
        assert thread.published_post_count == thread.last_post_number == thread.seeded
        assert thread.top == thread.seeded  # numbered 1..n without gaps
    assert Key.objects.filter(space=space).count() == 6
    assert Reaction.objects.filter(post__thread__category__space=space).exists()
    # New rows still get fresh ids after the seeded ones.
    assert Post.objects.create(thread=threads.first(), author=threads.first().author,
                               number=999, body="x", body_html="<p>x</p>").pk > 90


def test_running_again_adds_only_what_is_missing(settings):
    settings.DEBUG = True
    seed()
    seed()
    assert Thread.objects.count() == 12
    seed(threads=15, posts=100)
    assert Thread.objects.count() == 15
    assert Post.objects.count() == 100


def test_refused_outside_development_mode(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development mode"):
        seed()


def test_sqlite_refuses_a_large_forum_and_says_why(settings, monkeypatch):
    """Checked on every database (CI runs PostgreSQL): the command is told it is on SQLite, and
    refuses before it writes anything."""
    settings.DEBUG = True
    monkeypatch.setattr(seed_scale, "connection", SimpleNamespace(vendor="sqlite"))
    with pytest.raises(CommandError, match="PostgreSQL"):
        seed(threads=100, posts=50_000)
    assert not Post.objects.exists()
