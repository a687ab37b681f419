"""Moderation's rules: who is sanctioned, who may moderate what."""

from __future__ import annotations

from django.db.models import Q

from community import permissions as core
from moderation.models import Suspension


def suspension_for(user, space):
    """The suspension stopping this person posting in this space, if any."""
    if not user.is_authenticated:
        return None
    return (
        Suspension.objects.in_force()
        .filter(user=user)
        .filter(Q(space__isnull=True) | Q(space=space))
        .order_by("-ends_at")
        .first()
    )


def can_moderate(user, space) -> bool:
    return core.can_moderate_space(user, space)


def can_close_escalation(user, space) -> bool:
    return can_moderate(user, space) and core.is_clinician_or_admin(user)


def can_see_queue(user) -> bool:
    return core.is_moderating_team(user)


def can_see_audit_log(user) -> bool:
    return core.is_admin(user)


def suspension_in_force(user):
    """A site-wide suspension: the person may sign in only to read why."""
    if not user.is_authenticated:
        return None
    return (
        Suspension.objects.in_force().filter(user=user, space__isnull=True)
        .order_by("-starts_at").first()
    )
