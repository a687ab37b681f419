"""Who may do what in the forums. Each `*_refusal` returns None when allowed, or the message
to show: the reason, in words a member understands."""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404

from community import permissions as core
from moderation import permissions as moderation
from moderation.models import ContentStatus

EDIT_WINDOW = timedelta(minutes=30)


def can_moderate(user, space) -> bool:
    return moderation.can_moderate(user, space)


def posting_refusal(user, space) -> str | None:
    if not core.can_enter_space(user, space):
        raise Http404("No such space.")
    suspension = moderation.suspension_for(user, space)
    if suspension is not None:
        until = f" until {suspension.ends_at:%-d %B %Y, %H:%M}" if suspension.ends_at else ""
        return (
            f"You can't post at the moment: your account is paused{until}. The moderating "
            "team has sent you a message explaining why. You can still read, and Urgent help is "
            "always there."
        )
    return None


def reply_refusal(user, thread) -> str | None:
    refusal = posting_refusal(user, thread.category.space)
    if refusal:
        return refusal
    if thread.is_locked and not can_moderate(user, thread.category.space):
        return "This thread is locked: no new replies can be added."
    if thread.status != ContentStatus.PUBLISHED and not can_moderate(
        user, thread.category.space
    ):
        return "You can reply once a moderator has looked at this thread."
    return None


def edit_refusal(user, post, now) -> str | None:
    if post.author_id != user.pk:
        return "You can only edit your own posts."
    if post.status not in (ContentStatus.PUBLISHED, ContentStatus.HELD):
        return "This post can no longer be edited."
    if now - post.created_at > EDIT_WINDOW:
        return "Posts can be edited for 30 minutes after posting."
    return posting_refusal(user, post.thread.category.space)


def posts_wait_for_a_moderator(author) -> bool:
    """Members' and carers' first posts wait for a moderator; the team's never do."""
    return not core.is_moderating_team(author)


def remove_refusal(user, post) -> str | None:
    if not core.can_enter_space(user, post.thread.category.space):
        raise Http404("No such post.")
    if post.author_id != user.pk:
        return "You can only remove your own posts."
    if post.status in (ContentStatus.REMOVED, ContentStatus.HIDDEN):
        return "This post has already been taken down."
    return None


def react_refusal(user, post) -> str | None:
    if post.status != ContentStatus.PUBLISHED:
        return "You can only react to published posts."
    return posting_refusal(user, post.thread.category.space)
