"""Reads that are more than one QuerySet call."""

from __future__ import annotations

from django.db.models import Count, Prefetch

from community.models import Invitation, Key, Notification, Space, User
from community.notifications import visible_target_ids


def spaces_for_home(user) -> list[Space]:
    return list(Space.objects.visible_to(user).annotate(key_count=Count("keys", distinct=True)))


def invitations_for(user):
    return (
        Invitation.objects.issued_by(user)
        .select_related("created_by")
        .prefetch_related(Prefetch("spaces", queryset=Space.objects.only("name", "slug")))
    )


def key_holders(space: Space) -> list[Key]:
    return list(
        Key.objects.filter(space=space)
        .select_related("user", "granted_by")
        .order_by("-moderates", "user__display_name")
    )


def moderating_team(space: Space) -> list[User]:
    return list(
        User.objects.filter(keys__space=space, keys__moderates=True, is_active=True).order_by(
            "display_name"
        )
    )


def _still_visible(user, notifications: list[Notification]) -> list[Notification]:
    by_type: dict[str, set[int]] = {}
    for notification in notifications:
        if notification.target_type:
            by_type.setdefault(notification.target_type, set()).add(notification.target_id)
    allowed = {
        target_type: visible_target_ids(target_type, user, ids)
        for target_type, ids in by_type.items()
    }
    return [
        n for n in notifications
        if not n.target_type or n.target_id in allowed[n.target_type]
    ]


def notifications_for(user, *, limit: int = 50) -> list[Notification]:
    recent = list(Notification.objects.filter(recipient=user).select_related("actor")[:limit])
    return _still_visible(user, recent)


def unread_notification_count(user) -> int:
    if not user.is_authenticated:
        return 0
    unread = list(
        Notification.objects.filter(recipient=user, read_at__isnull=True).only(
            "target_type", "target_id"
        )[:100]
    )
    return len(_still_visible(user, unread))
