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
