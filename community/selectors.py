"""Reads that are more than one QuerySet call."""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django.utils import timezone

from community.models import MODERATING_TEAM_ROLES, Invitation, Key, Notification, Space, User


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
        User.objects.filter(keys__space=space, keys__moderates=True, is_active=True,
                            role__in=MODERATING_TEAM_ROLES).order_by("display_name")
    )


def notifications_for(user, *, limit: int = 50) -> list[Notification]:
    return list(Notification.objects.visible_to(user).select_related("actor")[:limit])


def unread_notification_count(user) -> int:
    """The badge; hidden while the person is taking a break (the notifications wait for them)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.visible_to(user).filter(
        read_at__isnull=True
    ).exclude(recipient__break_until__until__gt=timezone.now()).count()
