"""Seed a space with a large forum for the scale benchmark (bench/, docs/performance.md).

    python manage.py seed_scale --threads 100000 --posts 1000000

Rows go straight into the tables (no screening, notifications or audit rows): this is test data
for measuring reads, never for a site real people use. On PostgreSQL rows are streamed with COPY
(a million posts take a few minutes, most of it spent filling the full-text indexes); on SQLite
the command uses bulk_create and refuses more than SQLITE_MAX_POSTS posts, because a file
database of that size says nothing about production.

Running it again adds only what is missing: the counts are totals for the space, not extras.
"""

from __future__ import annotations

import random
from datetime import timedelta
from itertools import accumulate

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from community.models import Key, Role, Space, User
from forums.models import Category, Post, Reaction, Thread
from moderation.models import ContentStatus

SQLITE_MAX_POSTS = 20_000
BATCH = 5_000
# A fixed seed: two runs with the same counts make the same forum, so results compare.
SEED = 20261122
COMMON_WORDS = (
    "today feel better week therapy sleep walk family work friend talk tired hope small step "
    "morning evening anxious calm kind plan goal routine partner doctor session letter "
    "remember notice write read garden music cook run rest breathe slowly honest support "
    "thank you relate change habit sometimes always never again still want need try"
).split()


def _vocabulary(size: int, rng: random.Random) -> list[str]:
    """Made-up words, so that search terms range from very common to very rare."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(4, 9))))
    return COMMON_WORDS + sorted(words)


class Command(BaseCommand):
    help = "Seed a space with many threads and posts for the scale benchmark (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--threads", type=int, default=100_000)
        parser.add_argument("--posts", type=int, default=1_000_000,
                            help="Posts in total, first posts included.")
        parser.add_argument("--members", type=int, default=2_000,
                            help="Authors holding a key to the space.")
        parser.add_argument("--categories", type=int, default=20)
        parser.add_argument("--reactions", type=float, default=0.5,
                            help="Reactions per post, on average.")
        parser.add_argument("--space", default="scale", help="Slug of the space to fill.")

    def handle(self, *args, threads, posts, members, categories, reactions, space, **options):
        if not settings.DEBUG:
            raise CommandError("seed_scale writes test data: it runs in development mode only "
                               "(DJANGO_DEBUG=true), never on a real site.")
        if threads < 1 or posts < threads or members < 1 or categories < 1:
            raise CommandError("Need at least one thread, member and category, and at least "
                               "as many posts as threads.")
        if connection.vendor == "sqlite" and posts > SQLITE_MAX_POSTS:
            raise CommandError(
                f"SQLite holds at most {SQLITE_MAX_POSTS:,} seeded posts here: {posts:,} were "
                "asked for. Scale data means PostgreSQL (set DATABASE_URL), or ask for fewer.")
        self.rng = random.Random(SEED)
        self.words = _vocabulary(20_000, self.rng)
        # Zipf-like: the n-th word is about 1/n as common as the first.
        self.cumulative = list(accumulate(1 / (rank + 1) for rank in range(len(self.words))))
        target = self._space(space)
        authors = self._members(target, members)
        category_ids = self._categories(target, categories)
        have_threads = Thread.objects.filter(category__space=target).count()
        have_posts = Post.objects.filter(thread__category__space=target).count()
        if have_threads >= threads and have_posts >= posts:
            self.stdout.write(f"{target.slug}: already {have_threads:,} threads and "
                              f"{have_posts:,} posts; nothing to add.")
            _analyze()
            return
        new_threads = max(threads - have_threads, 1)
        new_posts = max(posts - have_posts, new_threads)
        self.stdout.write(f"Adding {new_threads:,} threads and {new_posts:,} posts to "
                          f"{target.slug} ({connection.vendor})...")
        with transaction.atomic():
            self._forum(category_ids, authors, new_threads, new_posts, reactions)
        _analyze()
        self.stdout.write(self.style.SUCCESS(
            f"{target.slug}: {Thread.objects.filter(category__space=target).count():,} threads, "
            f"{Post.objects.filter(thread__category__space=target).count():,} posts."))

    # --- People and places ---------------------------------------------------------------------

    def _space(self, slug: str) -> Space:
        space, _ = Space.objects.get_or_create(
            slug=slug, defaults={"name": f"Scale {slug}", "description": "Benchmark data."})
        return space

    def _members(self, space: Space, count: int) -> list[int]:
        prefix = f"{space.slug}-author-"
        existing = set(User.objects.filter(email__startswith=prefix)
                       .values_list("email", flat=True))
        # One hash for all: hashing a password per account would take minutes.
        password = make_password(None)
        User.objects.bulk_create([
            User(email=f"{prefix}{n}@bench.invalid", display_name=f"{space.slug[:12]} author {n}",
                 password=password, role=Role.MEMBER, agreed_to_rules_at=timezone.now())
            for n in range(count) if f"{prefix}{n}@bench.invalid" not in existing
        ], batch_size=BATCH)
        ids = list(User.objects.filter(email__startswith=prefix).order_by("pk")
                   .values_list("pk", flat=True))
        have_key = set(Key.objects.filter(space=space, user_id__in=ids)
                       .values_list("user_id", flat=True))
        Key.objects.bulk_create([Key(user_id=pk, space=space) for pk in ids
                                 if pk not in have_key], batch_size=BATCH)
        return ids

    def _categories(self, space: Space, count: int) -> list[int]:
        for n in range(count):
            Category.objects.get_or_create(space=space, slug=f"topic-{n}",
                                           defaults={"name": f"Topic {n}", "position": n})
        return list(Category.objects.filter(space=space).order_by("position")
                    .values_list("pk", flat=True)[:count])

    # --- Threads, posts, reactions ---------------------------------------------------------------

    def _text(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(self.words, cum_weights=self.cumulative,
                                         k=self.rng.randint(low, high)))

    def _posts_per_thread(self, threads: int, posts: int) -> list[int]:
        """Every thread has its first post; the replies go mostly to a few busy threads, as in
        a real forum (a long tail of short threads)."""
        weights = [self.rng.paretovariate(1.2) for _ in range(threads)]
        total = sum(weights)
        replies = posts - threads
        counts = [1 + int(replies * weight / total) for weight in weights]
        for index in self.rng.sample(range(threads), k=min(threads, posts - sum(counts))):
            counts[index] += 1
        return counts

    def _forum(self, category_ids, authors, threads, posts, reactions_per_post):
        next_thread = (Thread.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        next_post = (Post.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        now = timezone.now()
        counts = self._posts_per_thread(threads, posts)
        thread_rows, post_rows, reaction_rows = [], [], []
        writer = _Writer(self.stdout)
        for index, count in enumerate(counts):
            thread_id = next_thread + index
            started = now - timedelta(minutes=self.rng.randint(60, 60 * 24 * 720))
            last = started
            for number in range(1, count + 1):
                last = started + timedelta(minutes=number * self.rng.randint(1, 90))
                body = self._text(12, 90)
                post_rows.append({
                    "id": next_post, "thread_id": thread_id,
                    "author_id": self.rng.choice(authors), "number": number, "body": body,
                    "body_html": f"<p>{body}</p>", "status": ContentStatus.PUBLISHED,
                    "was_published": True, "created_at": min(last, now),
                })
                for _ in range(_poisson(self.rng, reactions_per_post)):
                    reaction_rows.append((next_post, self.rng.choice(authors),
                                          self.rng.choice(Reaction.Kind.values)))
                next_post += 1
            thread_rows.append({
                "id": thread_id, "category_id": category_ids[index % len(category_ids)],
                "title": self._text(3, 9).capitalize(), "author_id": self.rng.choice(authors),
                "status": ContentStatus.PUBLISHED, "created_at": started,
                "last_activity_at": min(last, now), "published_post_count": count,
                "last_post_number": count,
            })
            if len(post_rows) >= BATCH * 4 or index == len(counts) - 1:
                # Threads first: posts point at them.
                writer.rows(Thread, thread_rows)
                writer.rows(Post, post_rows)
                unique = {(post, user, kind) for post, user, kind in reaction_rows}
                writer.rows(Reaction, [
                    {"post_id": post, "user_id": user, "kind": kind, "created_at": now}
                    for post, user, kind in sorted(unique)])
                thread_rows, post_rows, reaction_rows = [], [], []
                self.stdout.write(f"  {index + 1:,} of {threads:,} threads written")
        writer.reset_sequences()


def _poisson(rng: random.Random, mean: float) -> int:
    # Few reactions per post: count exponential gaps within one unit of time.
    count, elapsed = 0, rng.expovariate(mean) if mean > 0 else 2.0
    while elapsed < 1:
        count += 1
        elapsed += rng.expovariate(mean)
    return count


def _analyze() -> None:
    """Statistics for every table, the small ones too (spaces, keys, categories), which
    autovacuum leaves alone until 50 of their rows plus a tenth of the rest change: the
    benchmark measures the plans of a database whose statistics are current
    (docs/performance.md, change 25)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class _Writer:
    """COPY on PostgreSQL, bulk_create elsewhere; missing columns take the model's default."""

    def __init__(self, stdout):
        self.stdout = stdout
        self.models = set()

    def rows(self, model, rows: list[dict]) -> None:
        if not rows:
            return
        self.models.add(model)
        fields = [field for field in model._meta.concrete_fields
                  if not (field.primary_key and "id" not in rows[0])]
        if connection.vendor != "postgresql":
            model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH)
            return
        defaults = {field.attname: field.get_default() for field in fields}
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row.get(field.attname, defaults[field.attname])
                                    for field in fields])

    def reset_sequences(self) -> None:
        """Rows came with their ids: move each table's id sequence past them."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model in self.models:
                table = model._meta.db_table
                # Table names come from the models, never from input.
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                               f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
