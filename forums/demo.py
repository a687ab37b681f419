"""Demo forums for `manage.py seed_demo`: categories, threads and replies that read like a real
community. Written straight to the tables (no holds, no notifications); safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from community.demo import CARERS, TALKING
from community.markup import render_markdown
from community.models import Space, User
from forums.models import Category, Post, Subscription, Thread

CATEGORIES = {
    TALKING: [
        ("introduce-yourself", "Introduce yourself",
         "Say hello, and as much or as little as you like."),
        ("staying-well", "Staying well", "What keeps you well now therapy has ended."),
        ("relationships", "Relationships", "Partners, family, friends and work."),
        ("when-things-get-hard", "When things get hard", "Setbacks, low days, and what helps."),
        ("good-news", "Good news", "Small wins count."),
    ],
    CARERS: [
        ("carers-corner", "Carers' corner",
         "For relatives, partners and friends: support each other."),
    ],
}

# (space, category slug, title, [(author email, text), ...]) — the first entry opens the thread.
THREADS = [
    (TALKING, "introduce-yourself", "Hello from a DIT finisher", [
        ("member@example.org", "Hi all. I finished 16 sessions of DIT last month and my "
         "therapist suggested this place. Feeling a bit lost without the weekly sessions, "
         "if I'm honest."),
        ("peer@example.org", "Welcome! That gap after the last session is really common. "
         "I found it helped to keep the same hour each week for myself. Glad you're here."),
        ("volunteer@example.org", "Welcome aboard. Have a look at *Staying well* when you're "
         "ready: lots of good ideas there."),
    ]),
    (TALKING, "staying-well", "Early warning signs: what do you look out for?", [
        ("peer@example.org", "In IPT we wrote down my early warning signs. Mine are: "
         "sleeping badly, cancelling plans, and not replying to messages. What are yours?"),
        ("member@example.org", "Skipping meals, and scrolling my phone in bed until 2am. "
         "Writing them down really helps me notice."),
    ]),
    (TALKING, "good-news", "Went back to the choir", [
        ("member@example.org", "After months away I went back to choir practice last night. "
         "Nervous, but so glad I did."),
        ("clinician@example.org", "That's wonderful to hear. Thank you for sharing it."),
    ]),
    (CARERS, "carers-corner", "Looking after yourself while supporting someone", [
        ("carer@example.org", "My partner finished CBT in the spring. Some weeks I find it "
         "hard to know how much to ask. How do others manage?"),
        ("clinician@example.org", "A really good question. It's fine to ask them directly "
         "what helps: and to look after your own wellbeing too."),
    ]),
]


def seed_forums() -> None:
    spaces = {space.slug: space for space in Space.objects.filter(slug__in=CATEGORIES)}
    categories = {}
    for slug, entries in CATEGORIES.items():
        if slug not in spaces:
            continue
        for position, (cat_slug, name, description) in enumerate(entries):
            categories[(slug, cat_slug)], _ = Category.objects.get_or_create(
                space=spaces[slug], slug=cat_slug,
                defaults={"name": name, "description": description, "position": position},
            )
    people = {user.email: user for user in User.objects.all()}
    start = timezone.now() - timedelta(days=3)
    for index, (space_slug, cat_slug, title, posts) in enumerate(THREADS):
        category = categories.get((space_slug, cat_slug))
        if category is None or Thread.objects.filter(category=category, title=title).exists():
            continue
        opened = start + timedelta(hours=5 * index)
        thread = Thread.objects.create(
            category=category, title=title, author=people[posts[0][0]], created_at=opened,
        )
        for number, (email, text) in enumerate(posts, start=1):
            Post.objects.create(
                thread=thread, author=people[email], number=number, body=text,
                body_html=render_markdown(text), created_at=opened + timedelta(hours=number),
                was_published=True,
            )
            Subscription.objects.get_or_create(thread=thread, user=people[email])
        last = thread.posts.aggregate(Max("created_at"))["created_at__max"]
        Thread.objects.filter(pk=thread.pk).update(
            published_post_count=len(posts), last_post_number=len(posts), last_activity_at=last,
        )
