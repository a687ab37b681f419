"""The people, places and sessions the scenarios use, written with the product's own models in
the benchmark database (runs inside the harness, after bench.environment.setup_django).

Members and moderators are made in bulk with one shared unusable password (hashing thousands of
passwords would take minutes); each socket or HTTP client gets a real signed-in session: a row in
Django's session table carrying what `login()` stores, plus, for the moderating team, the
verified authenticator that two-factor sign-in stores. The daphne processes read them exactly as
they read a browser's session cookie.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from community.markup import render_markdown
from community.models import Key, Role, Space, User
from forums.models import Category, Post, Reaction, Subscription, Thread, ThreadRead
from moderation.models import ContentStatus, WeeklyOpening

BENCH_SPACE = "bench"
SESSION_KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"


def bench_space(using: str = "default", slug: str = BENCH_SPACE) -> Space:
    """A space whose Wall is open around the clock (bank holidays still close it; moderators,
    who post in the Wall scenarios, may post then too)."""
    space, _ = Space.objects.using(using).get_or_create(
        slug=slug, defaults={"name": f"Benchmark {slug}", "description": "Benchmark data."})
    if not WeeklyOpening.objects.using(using).filter(space=space).exists():
        WeeklyOpening.objects.using(using).bulk_create([
            WeeklyOpening(space=space, weekday=day, opens=time(0, 0),
                          closes=time(23, 59, 59, 999999))
            for day in range(7)
        ])
    return space


def _people(space: Space, prefix: str, count: int, role: str, *, moderates: bool,
            using: str) -> list[User]:
    existing = {user.email: user for user in
                User.objects.using(using).filter(email__startswith=prefix)}
    password = make_password(None)
    missing = [
        User(email=f"{prefix}{n:05d}@bench.invalid", display_name=f"{prefix[:14]}{n:05d}",
             password=password, role=role, agreed_to_rules_at=timezone.now())
        for n in range(count) if f"{prefix}{n:05d}@bench.invalid" not in existing
    ]
    User.objects.using(using).bulk_create(missing, batch_size=2000)
    people = list(User.objects.using(using).filter(email__startswith=prefix)
                  .order_by("email")[:count])
    with_key = set(Key.objects.using(using).filter(space=space, user__in=people)
                   .values_list("user_id", flat=True))
    Key.objects.using(using).bulk_create(
        [Key(user=person, space=space, moderates=moderates) for person in people
         if person.pk not in with_key], batch_size=2000)
    return people


def members(space: Space, count: int, *, prefix: str = "bench-m-",
            using: str = "default") -> list[User]:
    return _people(space, prefix, count, Role.MEMBER, moderates=False, using=using)


def moderators(space: Space, count: int, *, using: str = "default") -> list[User]:
    """Volunteers on the space's moderating team, each with a confirmed authenticator."""
    team = _people(space, "bench-v-", count, Role.VOLUNTEER, moderates=True, using=using)
    with_device = set(TOTPDevice.objects.using(using).filter(user__in=team, confirmed=True)
                      .values_list("user_id", flat=True))
    TOTPDevice.objects.using(using).bulk_create(
        [TOTPDevice(user=person, name="bench", confirmed=True) for person in team
         if person.pk not in with_device])
    return team


def session_cookies(people: list[User], *, verified: bool = False,
                    using: str = "default") -> list[str]:
    """One fresh signed-in session per person, as the Cookie header value a browser sends."""
    devices = {}
    if verified:
        devices = {device.user_id: device.persistent_id for device in
                   TOTPDevice.objects.using(using).filter(user__in=people, confirmed=True)}
    expires = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    # The backend signing in records, as login() does (Axes only guards the password check).
    backend = next(path for path in settings.AUTHENTICATION_BACKENDS
                   if not path.startswith("axes."))
    rows, cookies = [], []
    for person in people:
        data = {SESSION_KEY: str(person.pk),
                BACKEND_SESSION_KEY: backend,
                HASH_SESSION_KEY: person.get_session_auth_hash()}
        if person.pk in devices:
            data[DEVICE_ID_SESSION_KEY] = devices[person.pk]
        key = get_random_string(32, SESSION_KEY_CHARS)
        rows.append(Session(session_key=key, session_data=SessionStore().encode(data),
                            expire_date=expires))
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={key}")
    Session.objects.using(using).bulk_create(rows, batch_size=2000)
    return cookies


def forum_thread(space: Space, *, posts: int, authors: list[User], readers: list[User],
                 reactions_per_post: int, title: str, using: str = "default") -> Thread:
    """A thread of `posts` published posts (authors taking turns, some quoting), reactions from
    `reactions_per_post` people on each post, and every reader's read marker at the end."""
    category, _ = Category.objects.using(using).get_or_create(
        space=space, slug="bench-talk", defaults={"name": "Benchmark talk"})
    thread = Thread.objects.using(using).filter(category=category, title=title).first()
    if thread is not None:
        return thread
    thread = Thread.objects.using(using).create(
        category=category, title=title, author=authors[0], published_post_count=posts,
        last_post_number=posts)
    body = ("Some days are harder than others, and **that is all right**. What helped me "
            "this week was a walk before breakfast and writing three lines in the evening. ")
    rows = [
        Post(thread=thread, author=authors[n % len(authors)], number=n + 1,
             body=body * (1 + n % 3), body_html=render_markdown(body * (1 + n % 3)),
             status=ContentStatus.PUBLISHED, was_published=True)
        for n in range(posts)
    ]
    created = Post.objects.using(using).bulk_create(rows)
    for index, post in enumerate(created):
        if index % 4 == 3:
            post.quoted = created[index - 1]
    Post.objects.using(using).bulk_update(created, ["quoted"])
    kinds = Reaction.Kind.values
    Reaction.objects.using(using).bulk_create([
        Reaction(post=post, user=authors[(index + n) % len(authors)], kind=kinds[n % len(kinds)])
        for index, post in enumerate(created) for n in range(reactions_per_post)
    ], ignore_conflicts=True)
    ThreadRead.objects.using(using).bulk_create(
        [ThreadRead(thread=thread, user=reader, last_read_number=posts) for reader in readers],
        ignore_conflicts=True)
    Subscription.objects.using(using).bulk_create(
        [Subscription(thread=thread, user=reader) for reader in readers], ignore_conflicts=True)
    return thread
