"""Every write in the forums. Each checks permission, screens new text, writes in one
transaction and sends notifications that the transaction carries with it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from community import services as core_services
from community.markup import render_markdown
from community.models import Notification, Role, Space, User
from forums import permissions
from forums.mentions import mention_candidates
from forums.models import (
    POST_BODY_MAX,
    THREAD_TITLE_MAX,
    Bookmark,
    Category,
    IgnoredMember,
    MutedWord,
    Post,
    PostRevision,
    Reaction,
    Subscription,
    Thread,
    ThreadRead,
)
from moderation import permissions as moderation_permissions
from moderation import services as moderation_services
from moderation.models import ContentStatus
from moderation.screening import HELD_ASKED, HELD_NEW_MEMBER, screen

POST_KEY = "forums.post"


class Refused(Exception):
    """The action is not allowed now; the message says why, for the person who tried."""


def _require(refusal: str | None) -> None:
    if refusal:
        raise Refused(refusal)


def _clean_text(value: str, *, field: str, limit: int, empty: str, what: str) -> str:
    if not value:
        raise ValidationError({field: empty})
    if len(value) > limit:
        raise ValidationError(
            {field: f"{what} can be up to {limit:,} characters: this one has {len(value):,}."}
        )
    return value


def _clean_body(body: str) -> str:
    return _clean_text((body or "").strip(), field="body", limit=POST_BODY_MAX,
                       empty="Write something before posting.", what="Posts")


def _clean_title(title: str) -> str:
    return _clean_text(" ".join((title or "").split()), field="title", limit=THREAD_TITLE_MAX,
                       empty="Give your thread a title.", what="Titles")


def _hold_because(author: User, ask_for_check: bool) -> str:
    if ask_for_check:
        return HELD_ASKED
    if permissions.posts_wait_for_a_moderator(author):
        published = Post.objects.filter(author=author, status=ContentStatus.PUBLISHED).count()
        if published < settings.FORUMS_HOLD_FIRST_POSTS:
            return HELD_NEW_MEMBER
    return ""


def post_url(post: Post) -> str:
    return reverse("forums:post", kwargs={"pk": post.pk})


def _next_number(thread: Thread) -> int:
    Thread.objects.filter(pk=thread.pk).update(last_post_number=F("last_post_number") + 1)
    return Thread.objects.values_list("last_post_number", flat=True).get(pk=thread.pk)


def _add_post(*, thread, author, body, quoted, ask_for_check, texts) -> Post:
    space = thread.category.space
    screening = screen(
        author=author, space=space, texts=texts,
        hold_because=_hold_because(author, ask_for_check),
    )
    post = Post.objects.create(
        thread=thread, author=author, number=_next_number(thread), body=body,
        body_html=render_markdown(body), status=screening.status,
        held_because=screening.held_because, quoted=quoted, risk_tier=screening.tier,
    )
    moderation_services.screening_followup(
        screening=screening, author=author, space=space, target_type=POST_KEY,
        target_id=post.pk, summary=f"Post {post.number} in “{thread.title}”",
    )
    Subscription.objects.get_or_create(thread=thread, user=author)
    ThreadRead.objects.update_or_create(
        thread=thread, user=author,
        defaults={"last_read_number": post.number, "read_at": timezone.now()},
    )
    if post.status == ContentStatus.PUBLISHED:
        _on_published(post)
    return post


@transaction.atomic
def thread_create(
    *, author: User, category: Category, title: str, body: str, ask_for_check: bool = False
) -> Thread:
    _require(permissions.posting_refusal(author, category.space))
    title, body = _clean_title(title), _clean_body(body)
    thread = Thread.objects.create(category=category, title=title, author=author)
    post = _add_post(
        thread=thread, author=author, body=body, quoted=None, ask_for_check=ask_for_check,
        texts=[title, body],
    )
    if post.status != ContentStatus.PUBLISHED:
        Thread.objects.filter(pk=thread.pk).update(status=post.status)
        thread.status = post.status
    thread.refresh_from_db()
    return thread


@transaction.atomic
def post_create(
    *, author: User, thread: Thread, body: str, quoted: Post | None = None,
    ask_for_check: bool = False,
) -> Post:
    thread = Thread.objects.select_for_update().select_related("category__space").get(
        pk=thread.pk
    )
    _require(permissions.reply_refusal(author, thread))
    body = _clean_body(body)
    if quoted is not None and (
        quoted.thread_id != thread.pk or quoted.status != ContentStatus.PUBLISHED
    ):
        quoted = None
    return _add_post(
        thread=thread, author=author, body=body, quoted=quoted, ask_for_check=ask_for_check,
        texts=[body],
    )


def _on_published(post: Post) -> None:
    """Counters, then notifications: followers, the quoted author, and those mentioned."""
    Post.objects.filter(pk=post.pk).update(was_published=True)
    post.was_published = True
    thread = post.thread
    Thread.objects.filter(pk=thread.pk).update(
        published_post_count=F("published_post_count") + 1,
        last_activity_at=post.created_at,
    )
    _notify(post)


def _notify(post: Post) -> None:
    thread = Thread.objects.select_related("category__space").get(pk=post.thread_id)
    if thread.status != ContentStatus.PUBLISHED:
        return  # a thread waiting for a moderator tells nobody anything, not even its title
    space = thread.category.space
    author = post.author
    ignoring_author = set(
        IgnoredMember.objects.filter(ignored=author).values_list("user_id", flat=True)
    )
    told = {author.pk} | ignoring_author
    url = post_url(post)

    def tell(recipient: User, kind: str, title: str) -> None:
        if recipient.pk in told or not _can_read_thread(recipient, thread):
            return
        told.add(recipient.pk)
        core_services.notification_send(
            recipient=recipient, kind=kind, title=title, url=url, actor=author, space=space,
            target=post,
        )

    if post.quoted_id and post.quoted.status == ContentStatus.PUBLISHED:
        tell(post.quoted.author, Notification.Kind.QUOTE,
             f"{author.display_name} quoted you in “{thread.title}”")
    candidates = mention_candidates(post.body)
    if candidates:
        for mentioned in _users_named(candidates):
            tell(mentioned, Notification.Kind.MENTION,
                 f"{author.display_name} mentioned you in “{thread.title}”")
    if post.number > 1:
        # In one go, however many follow: the thread is published, so those who may read it
        # are exactly those who may enter its space (Thread.objects.visible_to).
        followers = (
            User.objects.filter(forum_subscriptions__thread=thread,
                                forum_subscriptions__following=True, is_active=True)
            .filter(Q(role=Role.ADMIN) | Q(keys__space=space))
            .exclude(pk__in=told).distinct()
        )
        core_services.notifications_send_many(
            recipients=followers, kind=Notification.Kind.REPLY,
            title=f"{author.display_name} replied to “{thread.title}”", url=url, actor=author,
            space=space, target=post,
        )


def _users_named(candidates: set[str]):
    return User.objects.annotate(folded=Lower("display_name")).filter(
        folded__in=candidates, is_active=True
    )


def _can_read_thread(user: User, thread: Thread) -> bool:
    return Thread.objects.visible_to(user).filter(pk=thread.pk).exists()


@transaction.atomic
def post_edit(*, post: Post, editor: User, body: str) -> Post:
    post = Post.objects.select_for_update().select_related("thread__category__space").get(
        pk=post.pk
    )
    _require(permissions.edit_refusal(editor, post, timezone.now()))
    body = _clean_body(body)
    if body == post.body:
        return post
    space = post.thread.category.space
    screening = screen(author=editor, space=space, texts=[body])
    PostRevision.objects.create(post=post, body=post.body)
    post.body, post.body_html, post.edited_at = body, render_markdown(body), timezone.now()
    post.risk_tier = screening.tier
    update = ["body", "body_html", "edited_at", "risk_tier"]
    if screening.held and post.status == ContentStatus.PUBLISHED:
        _unpublish(post, ContentStatus.HELD)
        post.held_because = screening.held_because
        update += ["status", "held_because"]
        if post.is_first:
            Thread.objects.filter(pk=post.thread_id).update(status=ContentStatus.HELD)
    post.save(update_fields=update)
    moderation_services.screening_followup(
        screening=screening, author=editor, space=space, target_type=POST_KEY,
        target_id=post.pk, summary=f"Edited post {post.number} in “{post.thread.title}”",
    )
    return post


def _unpublish(post: Post, status: str) -> None:
    was_published = post.status == ContentStatus.PUBLISHED
    post.status = status
    if was_published:
        Thread.objects.filter(pk=post.thread_id).update(
            published_post_count=F("published_post_count") - 1
        )
    _withdraw(post)


def _withdraw(post: Post) -> None:
    targets = [post]
    if post.is_first:
        targets = list(Post.objects.filter(thread_id=post.thread_id))
    core_services.notifications_withdraw(targets=targets)


@transaction.atomic
def post_remove(*, post: Post, user: User) -> Post:
    post = Post.objects.select_for_update().select_related("thread__category__space").get(
        pk=post.pk
    )
    _require(permissions.remove_refusal(user, post))
    _unpublish(post, ContentStatus.REMOVED)
    post.save(update_fields=["status"])
    return post


def _lock_for_moderation(post: Post, moderator: User | None, doing: str) -> tuple[Post, Space]:
    """The post, locked for the change, and its space; only the space's team may change it
    (no moderator: an automatic action by moderation's thresholds)."""
    post = Post.objects.select_for_update().select_related("thread__category__space").get(
        pk=post.pk
    )
    space = post.thread.category.space
    if moderator is not None and not permissions.can_moderate(moderator, space):
        raise PermissionDenied(f"Only the moderating team of this space can {doing} posts.")
    return post, space


@transaction.atomic
def post_hide(*, post: Post, moderator: User | None, reason: str) -> Post:
    """Hide a post and tell its author why, privately, with where to find support."""
    post, space = _lock_for_moderation(post, moderator, "hide")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why: the author will see your reason."})
    if post.status == ContentStatus.HIDDEN:
        return post
    before = post.status
    _unpublish(post, ContentStatus.HIDDEN)
    post.hidden_reason = reason
    post.save(update_fields=["status", "hidden_reason"])
    if post.is_first:
        Thread.objects.filter(pk=post.thread_id).update(status=ContentStatus.HIDDEN)
        _tell_repliers_thread_hidden(post)
    core_services.notification_send(
        recipient=post.author, kind=Notification.Kind.MODERATOR,
        title=f"A moderator hid your post in “{post.thread.title}”",
        message=reason, url=reverse("notifications"), space=space,
    )
    core_services.audit_record(
        actor=moderator, action="forum_post.hide", target=post, space=space, reason=reason,
        before=before, after=ContentStatus.HIDDEN,
    )
    if moderator is not None:  # an automatic hide stays in the queue for a moderator
        moderation_services.review_items_close_for(
            target_type=POST_KEY, target_id=post.pk, moderator=moderator, resolution="hide"
        )
    return post


@transaction.atomic
def post_moderator_edit(*, post: Post, moderator: User, body: str, note: str) -> Post:
    """A moderator changes a post (say, to take out a phone number) and tells the author why."""
    post, space = _lock_for_moderation(post, moderator, "edit")
    body, note = _clean_body(body), (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say what you changed and why: the author sees it."})
    PostRevision.objects.create(post=post, body=post.body)
    post.body, post.body_html, post.edited_at = body, render_markdown(body), timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at"])
    core_services.notification_send(
        recipient=post.author, kind=Notification.Kind.MODERATOR,
        title=f"A moderator edited your post in “{post.thread.title}”", message=note,
        url=post_url(post), space=space,
    )
    core_services.audit_record(actor=moderator, action="forum_post.moderator_edit", target=post,
                               space=space, reason=note)
    return post


def _publish_again(post: Post, moderator: User, *, from_status: str, done: str):
    """Publish a held or hidden post; returns (post, space), or None if it was not in
    `from_status`. High-risk posts need a clinician or an admin."""
    post, space = _lock_for_moderation(post, moderator, done.removesuffix("d"))
    if not moderation_permissions.can_publish(moderator, space, post.risk_tier):
        raise PermissionDenied(f"High-risk posts are {done} only by a clinician or an admin.")
    if post.status != from_status:
        return None
    post.status, post.held_because, post.hidden_reason = ContentStatus.PUBLISHED, "", ""
    post.save(update_fields=["status", "held_because", "hidden_reason"])
    if post.is_first:
        Thread.objects.filter(pk=post.thread_id).update(status=ContentStatus.PUBLISHED)
    core_services.audit_record(actor=moderator, action=f"forum_post.{done.removesuffix('d')}",
                               target=post, space=space, before=from_status,
                               after=ContentStatus.PUBLISHED)
    moderation_services.review_items_close_for(
        target_type=POST_KEY, target_id=post.pk, moderator=moderator,
        resolution=done.removesuffix("d"),
    )
    return post, space


@transaction.atomic
def post_restore(*, post: Post, moderator: User) -> Post:
    """Undo a hide: the post is published again and its author is told."""
    published = _publish_again(post, moderator, from_status=ContentStatus.HIDDEN,
                               done="restored")
    if published is None:
        return post
    post, space = published
    Thread.objects.filter(pk=post.thread_id).update(
        published_post_count=F("published_post_count") + 1
    )
    core_services.notification_send(
        recipient=post.author, kind=Notification.Kind.MODERATOR,
        title=f"A moderator restored your post in “{post.thread.title}”",
        message="After review, your post is visible again.", url=post_url(post), space=space,
    )
    return post


def _tell_repliers_thread_hidden(first: Post) -> None:
    """Hiding a thread's first post hides the thread, and so the replies in it: their authors
    hear of it too (the reason stays private to the thread's author)."""
    repliers = User.objects.filter(
        forum_posts__thread_id=first.thread_id, forum_posts__was_published=True,
    ).exclude(pk=first.author_id).distinct()
    for replier in repliers:
        core_services.notification_send(
            recipient=replier, kind=Notification.Kind.MODERATOR,
            title=f"A thread you replied to, “{first.thread.title}”, was hidden by a moderator",
            message="Your replies in it are hidden with it. This is not about anything you "
            "wrote. If you have questions, ask the moderating team.",
            url=reverse("notifications"), space=first.thread.category.space,
        )


@transaction.atomic
def post_approve(*, post: Post, moderator: User) -> Post:
    published = _publish_again(post, moderator, from_status=ContentStatus.HELD,
                               done="approved")
    if published is None:
        return post
    post, _ = published
    _on_published(post)
    return post


def _moderate_thread(thread: Thread, moderator: User, action: str, **changes) -> Thread:
    space = thread.category.space
    if not permissions.can_moderate(moderator, space):
        raise PermissionDenied("Only the moderating team of this space can do that.")
    for name, value in changes.items():
        setattr(thread, name, value)
    thread.save(update_fields=list(changes))
    core_services.audit_record(actor=moderator, action=action, target=thread, space=space,
                               **{k: getattr(v, "pk", v) for k, v in changes.items()})
    return thread


@transaction.atomic
def thread_lock(*, thread: Thread, moderator: User, locked: bool) -> Thread:
    return _moderate_thread(thread, moderator, "forum_thread.lock", is_locked=locked)


@transaction.atomic
def thread_pin(*, thread: Thread, moderator: User, pinned: bool) -> Thread:
    return _moderate_thread(thread, moderator, "forum_thread.pin", is_pinned=pinned)


@transaction.atomic
def thread_move(*, thread: Thread, moderator: User, category: Category) -> Thread:
    if category.space_id != thread.category.space_id and not permissions.can_moderate(
        moderator, category.space
    ):
        raise PermissionDenied("You don't moderate the space of that category.")
    return _moderate_thread(thread, moderator, "forum_thread.move", category=category)


@transaction.atomic
def reaction_toggle(*, post: Post, user: User, kind: str) -> bool:
    """Add the reaction, or take it back if it was there. Returns whether it is now on."""
    if kind not in Reaction.Kind.values:
        raise ValidationError("Unknown reaction.")
    _require(permissions.react_refusal(user, post))
    deleted, _ = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    if deleted:
        return False
    return _create_once(Reaction, post=post, user=user, kind=kind)


def _create_once(model, **fields) -> bool:
    """Create the row; a double submit that already created it counts as done."""
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        pass
    return True


def subscription_set(*, thread: Thread, user: User, following: bool) -> Subscription:
    if not Thread.objects.visible_to(user).filter(pk=thread.pk).exists():
        raise Refused("You can only follow threads you can read.")
    subscription, _ = Subscription.objects.update_or_create(
        thread=thread, user=user, defaults={"following": following}
    )
    return subscription


def thread_mark_read(*, thread: Thread, user: User, up_to: int, known: int | None) -> None:
    """Remember the highest post number seen. `known` is what was stored before, if read."""
    if known is not None and up_to <= known:
        return
    if known is None:
        # One statement, no savepoint: a concurrent first visit simply wins.
        ThreadRead.objects.bulk_create(
            [ThreadRead(thread=thread, user=user, last_read_number=up_to)],
            ignore_conflicts=True,
        )
        return
    ThreadRead.objects.filter(thread=thread, user=user, last_read_number__lt=up_to).update(
        last_read_number=up_to, read_at=timezone.now()
    )


def bookmark_toggle(*, post: Post, user: User) -> bool:
    if not Post.objects.visible_to(user).filter(pk=post.pk).exists():
        raise Refused("You can only save posts you can read.")
    deleted, _ = Bookmark.objects.filter(post=post, user=user).delete()
    if deleted:
        return False
    return _create_once(Bookmark, post=post, user=user)


def muted_word_add(*, user: User, phrase: str = "", theme: str = "") -> MutedWord:
    from forums.filters import THEMES

    phrase = " ".join((phrase or "").split()).lower()
    if theme and theme not in THEMES:
        raise ValidationError({"theme": "Unknown theme."})
    if not phrase and not theme:
        raise ValidationError({"phrase": "Type a word or choose a theme to mute."})
    if len(phrase) > 60:
        raise ValidationError({"phrase": "Muted words can be up to 60 characters."})
    muted, _ = MutedWord.objects.get_or_create(user=user, phrase=phrase, theme=theme)
    return muted


def muted_word_remove(*, user: User, muted_id: int) -> None:
    MutedWord.objects.filter(user=user, pk=muted_id).delete()


def member_ignore(*, user: User, ignored: User) -> IgnoredMember:
    if ignored.pk == user.pk:
        raise ValidationError({"display_name": "You can't ignore yourself."})
    entry, _ = IgnoredMember.objects.get_or_create(user=user, ignored=ignored)
    return entry


def member_unignore(*, user: User, ignored_id: int) -> None:
    IgnoredMember.objects.filter(user=user, ignored_id=ignored_id).delete()


def erase_member(user: User, delete_text: bool) -> None:
    """Account deletion: personal settings go; posts stay unless their text goes too."""
    for model in (Reaction, Bookmark, Subscription, ThreadRead, MutedWord):
        model.objects.filter(user=user).delete()
    IgnoredMember.objects.filter(user=user).delete()
    IgnoredMember.objects.filter(ignored=user).delete()
    if delete_text:
        PostRevision.objects.filter(post__author=user).delete()
        Post.objects.filter(author=user).update(body="", body_html="",
                                                status=ContentStatus.REMOVED)
