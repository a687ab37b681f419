"""Forums: categories inside spaces, threads, posts and what members do with them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from community import permissions as core
from community.models import Space
from community.reactions import ReactionKind
from moderation.models import ContentStatus

THREAD_TITLE_MAX = 150
POST_BODY_MAX = 10_000
POSTS_PER_PAGE = 20
THREADS_PER_PAGE = 20


def readable_status(user, *, space_path: str) -> Q:
    """Which statuses of threads or posts this person may read: published, their own held
    content, and held content in the spaces they moderate (admins: every space).
    `space_path` leads from the model to its space."""
    readable = Q(status=ContentStatus.PUBLISHED)
    if not user.is_authenticated:
        return readable
    readable |= Q(status=ContentStatus.HELD, author=user)
    if core.is_admin(user):
        return readable | Q(status=ContentStatus.HELD)
    if core.is_moderating_team(user):
        moderated = core.moderated_spaces(user)
        readable |= Q(status=ContentStatus.HELD, **{f"{space_path}__in": moderated})
    return readable


class CategoryQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(space__in=Space.objects.visible_to(user))


class Category(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=100)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["space__name", "position", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["space", "slug"], name="category_slug_per_space")
        ]

    def __str__(self):
        return f"{self.space.name}: {self.name}"


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Threads this person may open. The moderating team also opens hidden threads in the
        spaces it moderates, to review and restore them."""
        readable = readable_status(user, space_path="category__space")
        if core.is_moderating_team(user):
            readable |= Q(status=ContentStatus.HIDDEN,
                          category__space__in=core.moderated_spaces(user))
        return self.filter(category__space__in=Space.objects.visible_to(user)).filter(readable)


class Thread(models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(max_length=THREAD_TITLE_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="threads"
    )
    status = models.CharField(
        max_length=10, choices=ContentStatus.choices, default=ContentStatus.PUBLISHED
    )
    is_locked = models.BooleanField(default=False)
    is_pinned = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Published posts, kept by the services so lists need no counting query.
    published_post_count = models.PositiveIntegerField(default=0)
    last_post_number = models.PositiveIntegerField(default=0)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-is_pinned", "-last_activity_at", "-id"]
        indexes = [models.Index(fields=["category", "-is_pinned", "-last_activity_at"])]

    def __str__(self):
        return self.title

    @property
    def reply_count(self) -> int:
        return max(self.published_post_count - 1, 0)


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ContentStatus.PUBLISHED)

    def visible_to(self, user):
        """Posts whose text this person may read, in threads they may open."""
        threads = Thread.objects.visible_to(user)
        return self.filter(thread__in=threads).filter(
            readable_status(user, space_path="thread__category__space")
        )

    def shown_in_thread_to(self, user):
        """Everything that takes a place in the thread for this person: readable posts, and
        placeholders for hidden and removed ones (whose text is never sent)."""
        return self.filter(
            readable_status(user, space_path="thread__category__space")
            | Q(status__in=[ContentStatus.HIDDEN, ContentStatus.REMOVED], was_published=True)
            | Q(status__in=[ContentStatus.HIDDEN, ContentStatus.REMOVED], author=user)
        )


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_posts"
    )
    number = models.PositiveIntegerField(help_text="Position in the thread, from 1.")
    body = models.TextField(max_length=POST_BODY_MAX)
    body_html = models.TextField(help_text="The body through the markup module, kept rendered.")
    status = models.CharField(
        max_length=10, choices=ContentStatus.choices, default=ContentStatus.PUBLISHED
    )
    held_because = models.CharField(max_length=200, blank=True)
    was_published = models.BooleanField(
        default=False, help_text="Once published, a hidden or removed post keeps its place as a "
        "placeholder; one never published leaves no trace for other readers.",
    )
    risk_tier = models.CharField(max_length=10, blank=True,
                                 help_text="What the risk check matched when it was last written.")
    hidden_reason = models.TextField(blank=True)
    quoted = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="quoted_by"
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "number"], name="post_number_per_thread")
        ]
        indexes = [models.Index(fields=["author", "status"])]

    def __str__(self):
        return f"Post {self.number} in {self.thread_id}"

    @property
    def is_first(self) -> bool:
        return self.number == 1

    @property
    def body_safe(self) -> SafeString:
        # body_html is only ever written by the services, from render_markdown's output.
        return mark_safe(self.body_html)  # noqa: S308


class PostSearchDocument(models.Model):
    """A post's search document, stored so that a search never makes it again from the text
    (docs/performance.md, change 32). PostgreSQL only, and kept by the database itself:
    migration 0006's triggers write it whenever a post is created or its text changes (edits,
    a moderator's edit, erasure's blanking), and it is deleted with its post. Nothing in
    Harbour writes it; on SQLite, which searches without it, it stays empty."""

    post = models.OneToOneField(Post, primary_key=True, related_name="search_document",
                                # The database's own foreign key deletes it (migration 0006).
                                on_delete=models.DO_NOTHING, db_constraint=False)
    document = SearchVectorField()


class PostRevision(models.Model):
    """The text a post had before an edit. Seen by the moderating team only."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-replaced_at", "-id"]


class Reaction(models.Model):
    Kind = ReactionKind

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_reactions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="one_reaction_per_kind")
        ]


class Subscription(models.Model):
    """Following a thread: its new replies are notified."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions"
    )
    following = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_subscription_per_thread")
        ]


class ThreadRead(models.Model):
    """How far a person has read a thread: the highest post number they have seen."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_reads"
    )
    last_read_number = models.PositiveIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="one_read_marker")]


class Bookmark(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="bookmarks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_bookmarks"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="one_bookmark")]


class MutedWord(models.Model):
    """A word or theme whose posts a person wants collapsed behind "show anyway"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_words"
    )
    phrase = models.CharField(max_length=60, blank=True)
    theme = models.CharField(max_length=30, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "phrase", "theme"], name="one_mute"),
            models.CheckConstraint(condition=~Q(phrase="") | ~Q(theme=""), name="mute_not_empty"),
        ]


class IgnoredMember(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ignored = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "ignored"], name="one_ignore"),
            models.CheckConstraint(condition=~Q(user=models.F("ignored")), name="no_self_ignore"),
        ]
