"""Reads for the forums pages, each a fixed number of queries however much there is."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from community import permissions as core
from community.models import Space
from forums import permissions
from forums.filters import matching_mute
from forums.models import (
    POSTS_PER_PAGE,
    THREADS_PER_PAGE,
    Bookmark,
    Category,
    IgnoredMember,
    MutedWord,
    Post,
    PostSearchDocument,
    Reaction,
    Subscription,
    Thread,
    ThreadRead,
)
from moderation.models import ContentStatus

_LARGEST_OFFSET = 2**31 - 1


def _page(queryset, per_page: int, page_number) -> Page:
    """Django's `Paginator.get_page`, with the rows counted in the page's own query instead of a
    COUNT query of their own: one round trip fewer on every thread page and thread list. A
    page number that is not a whole number from 1, or past the end, takes Django's own path
    (the first or the last page) and its extra query; so does one too large for the database's
    OFFSET, which would otherwise be an error rather than the last page. So does a distinct or
    grouped queryset, whose rows a plain COUNT in a subquery would not count."""
    paginator = Paginator(queryset, per_page)
    number = 1 if page_number is None else _whole_number(page_number)
    countable = not queryset.query.distinct and queryset.query.group_by is None
    if countable and number is not None and 1 <= number <= _LARGEST_OFFSET // per_page:
        total = queryset.order_by().annotate(
            rows_counted=Func(F("pk"), function="COUNT", output_field=IntegerField())
        ).values("rows_counted")
        bottom = (number - 1) * per_page
        rows = list(queryset.annotate(rows_in_all=Subquery(total))[bottom:bottom + per_page])
        if rows:
            paginator.count = rows[0].rows_in_all
            page = paginator.page(number)
            page.object_list = rows
            return page
    return paginator.get_page(page_number)


def _whole_number(value) -> int | None:
    """The page number as Django's paginator reads it, or None where it would take page 1."""
    if isinstance(value, float) and not value.is_integer():
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def categories_for(user):
    return (
        Category.objects.visible_to(user)
        .select_related("space")
        .annotate(
            thread_count=Count("threads", filter=Q(threads__status=ContentStatus.PUBLISHED))
        )
    )


def category_for(user, space_slug: str, category_slug: str) -> Category:
    category = (
        Category.objects.visible_to(user).select_related("space")
        .filter(space__slug=space_slug, slug=category_slug).first()
    )
    if category is None:
        raise Http404("No such category.")
    return category


def threads_page(user, category: Category, page_number):
    read = ThreadRead.objects.filter(thread=OuterRef("pk"), user=user).values("last_read_number")
    threads = (
        Thread.objects.visible_to(user)
        .filter(category=category)
        .select_related("author")
        .annotate(
            last_read=Coalesce(Subquery(read, output_field=IntegerField()), Value(-1)),
            last_published=Coalesce(
                Subquery(
                    Post.objects.filter(thread=OuterRef("pk"), status=ContentStatus.PUBLISHED)
                    .order_by("-number").values("number")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
        )
    )
    return _page(threads, THREADS_PER_PAGE, page_number)


def thread_for(user, pk: int) -> Thread:
    following = Subscription.objects.filter(thread=OuterRef("pk"), user=user, following=True)
    read = ThreadRead.objects.filter(thread=OuterRef("pk"), user=user).values("last_read_number")
    thread = (
        Thread.objects.visible_to(user)
        .select_related("category__space")
        .annotate(is_following=Exists(following),
                  last_read=Coalesce(Subquery(read, output_field=IntegerField()), Value(-1)))
        .filter(pk=pk)
        .first()
    )
    if thread is None:
        raise Http404("No such thread.")
    return thread


@dataclass
class PostView:
    """A post as one reader sees it."""

    post: Post
    is_new: bool = False
    reactions: dict[str, int] = field(default_factory=dict)
    my_reactions: set[str] = field(default_factory=set)
    collapsed_because: str = ""
    author_badge: str = ""
    can_edit: bool = False
    can_remove: bool = False

    @property
    def reaction_buttons(self) -> list[tuple[str, str, int, bool]]:
        """(kind, label, count, mine) for every reaction, in a fixed order."""
        return [
            (kind, label, self.reactions.get(kind, 0), kind in self.my_reactions)
            for kind, label in Reaction.Kind.choices
        ]


@dataclass
class ThreadPage:
    thread: Thread
    page: object
    posts: list[PostView]
    last_read_number: int | None


def thread_page(user, thread: Thread, page_number) -> ThreadPage:
    ignored = IgnoredMember.objects.filter(user=user, ignored=OuterRef("author"))
    saved = Bookmark.objects.filter(user=user, post=OuterRef("pk"))
    posts = (
        Post.objects.filter(thread=thread)
        .shown_in_thread_to(user)
        .select_related("author", "quoted__author")
        .annotate(author_ignored=Exists(ignored), is_saved=Exists(saved))
        .order_by("number")
    )
    page = _page(posts, POSTS_PER_PAGE, page_number)
    page_posts = list(page.object_list)
    ids = [post.pk for post in page_posts]
    counts: dict[int, dict[str, int]] = {}
    mine: dict[int, set[str]] = {}
    for post_id, kind, total, by_me in (
        Reaction.objects.filter(post_id__in=ids)
        .values("post_id", "kind")
        .annotate(total=Count("id"), by_me=Count("id", filter=Q(user=user)))
        .values_list("post_id", "kind", "total", "by_me")
    ):
        counts.setdefault(post_id, {})[kind] = total
        if by_me:
            mine.setdefault(post_id, set()).add(kind)
    last_read = thread.last_read if thread.last_read >= 0 else None
    mutes = list(MutedWord.objects.filter(user=user).values_list("phrase", "theme"))
    now = timezone.now()
    views = []
    for post in page_posts:
        view = PostView(
            post=post,
            is_new=last_read is not None and post.number > last_read,
            reactions=counts.get(post.pk, {}),
            my_reactions=mine.get(post.pk, set()),
            author_badge=post.author.get_role_display()
            if core.is_moderating_team(post.author) else "",
        )
        if post.author_id == user.pk:
            post.thread = thread  # the permission checks read the space through it
            view.can_edit = permissions.edit_refusal(user, post, now) is None
            view.can_remove = permissions.remove_refusal(user, post) is None
        if post.status == ContentStatus.PUBLISHED and post.author_id != user.pk:
            if post.author_ignored:
                view.collapsed_because = f"you are ignoring {post.author.display_name}"
            elif mutes and (muted := matching_mute(post.body, mutes)):
                view.collapsed_because = f"it mentions {muted}, which you muted"
        views.append(view)
    return ThreadPage(thread=thread, page=page, posts=views, last_read_number=last_read)


def first_unread_location(user, thread: Thread) -> tuple[int, int]:
    """(page number, post number) of the first post newer than what was read."""
    last_read = (
        ThreadRead.objects.filter(thread=thread, user=user)
        .values_list("last_read_number", flat=True).first()
    ) or 0
    visible = Post.objects.filter(thread=thread).shown_in_thread_to(user)
    first_new = visible.filter(number__gt=last_read).order_by("number").values_list(
        "number", flat=True
    ).first()
    if first_new is None:
        first_new = visible.order_by("-number").values_list("number", flat=True).first() or 1
    before = visible.filter(number__lt=first_new).count()
    return before // POSTS_PER_PAGE + 1, first_new


def post_location(user, post: Post) -> tuple[int, int]:
    before = Post.objects.filter(thread=post.thread_id, number__lt=post.number).shown_in_thread_to(
        user
    ).count()
    return before // POSTS_PER_PAGE + 1, post.number


def bookmarks_for(user):
    return (
        Bookmark.objects.filter(user=user, post__in=Post.objects.visible_to(user))
        .select_related("post__thread", "post__author")
    )


# How many of the newest matching posts a search ranks (see `search_querysets`).
SEARCH_RANKED_MATCHES = 1000


def search(user, query: str, *, limit: int = 50):
    """Published posts and threads this person may see that match the words typed."""
    threads, posts = search_querysets(user, query)
    return list(threads[:limit]), list(posts[:limit])


def search_querysets(user, query: str):
    """The thread and post QuerySets `search` runs (kept apart so their plans can be checked)."""
    query = " ".join((query or "").replace("\x00", " ").split())[:200]
    if not query:
        return Thread.objects.none(), Post.objects.none()
    spaces = Space.objects.visible_to(user)
    posts = Post.objects.filter(
        status=ContentStatus.PUBLISHED,
        thread__status=ContentStatus.PUBLISHED,
        thread__category__space__in=spaces,
    ).select_related("thread__category__space", "author")
    threads = Thread.objects.filter(
        status=ContentStatus.PUBLISHED, category__space__in=spaces
    ).select_related("category__space")
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import (
            SearchQuery,
            SearchRank,
            SearchVector,
            SearchVectorField,
        )

        search_query = SearchQuery(query, search_type="websearch", config="english")
        # Each post's stored document (migration 0006): whichever way PostgreSQL finds the
        # newest matches, and ranks them, it reads documents instead of making them again.
        stored = PostSearchDocument.objects.filter(post=OuterRef("pk")).values("document")
        title_vector = SearchVector("title", config="english")
        matches = posts.filter(search_document__document=search_query)
        posts = (
            posts.filter(pk__in=_newest(matches))
            # A subquery, not a join: joined, PostgreSQL paired every post with its document
            # before narrowing to the matches (3 s on a million posts, by hand).
            .annotate(rank=SearchRank(Subquery(stored, output_field=SearchVectorField()),
                                      search_query))
            .order_by("-rank", "-created_at")
        )
        threads = threads.alias(document=title_vector).filter(document=search_query).order_by(
            "-last_activity_at"
        )
    else:
        matches = posts
        for word in query.split():
            matches = matches.filter(body__icontains=word)
            threads = threads.filter(title__icontains=word)
        posts = posts.filter(pk__in=_newest(matches)).order_by("-created_at")
        threads = threads.order_by("-last_activity_at")
    return threads, posts


def _newest(matches):
    """The ids of the newest matching posts. Ranking reads every match's document and sorts them
    all, so only these are ranked: a word matching half a million posts costs what one matching
    a thousand does."""
    return matches.order_by("-pk").values("pk")[:SEARCH_RANKED_MATCHES]


def home_context(user) -> dict:
    recent = (
        Thread.objects.visible_to(user).filter(status=ContentStatus.PUBLISHED)
        .select_related("category").order_by("-last_activity_at")[:5]
    )
    return {"recent_threads": list(recent)}


def space_context(user, space) -> dict:
    return {"categories": list(Category.objects.filter(space=space))}


def export_posts(user) -> list[dict]:
    return [{"thread": post.thread.title, "number": post.number, "body": post.body,
             "status": post.status, "created_at": post.created_at}
            for post in Post.objects.filter(author=user).select_related("thread")]


def export_reactions(user) -> list[dict]:
    return [{"thread": r.post.thread.title, "post": r.post.number, "kind": r.kind,
             "at": r.created_at}
            for r in Reaction.objects.filter(user=user).select_related("post__thread")]


def export_bookmarks(user) -> list[dict]:
    return [{"thread": b.post.thread.title, "post": b.post.number, "saved_at": b.created_at}
            for b in Bookmark.objects.filter(user=user).select_related("post__thread")]
