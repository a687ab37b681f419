"""Moderation's rules: who is sanctioned, who may moderate what."""

from __future__ import annotations

from community import permissions as core
from moderation.models import Suspension


def suspensions_of(user) -> list[Suspension]:
    """Suspensions in force for this person, read once per user object (one request)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_harbour_suspensions", None)
    if cached is None:
        cached = list(Suspension.objects.in_force().filter(user=user).order_by("-starts_at"))
        user._harbour_suspensions = cached
    return cached


def suspension_for(user, space):
    """The suspension stopping this person posting in this space, if any."""
    for suspension in suspensions_of(user):
        if suspension.space_id is None or suspension.space_id == space.pk:
            return suspension
    return None


def can_moderate(user, space) -> bool:
    return core.can_moderate_space(user, space)


def can_publish(user, space, tier: str) -> bool:
    """Peer supporters and volunteers handle low and medium risk; publishing high-risk content
    is for clinicians and admins."""
    if not can_moderate(user, space):
        return False
    return tier != "high" or core.is_clinician_or_admin(user)


def can_close_escalation(user, space) -> bool:
    return can_moderate(user, space) and core.is_clinician_or_admin(user)


def can_moderate_member(user, member) -> bool:
    """The team acts on a member (notes, warnings, suspensions, their page) only through a space
    the member holds a key to and the team member moderates; admins, on anyone. Elsewhere the
    member does not exist for them."""
    return core.is_admin(user) or core.moderates_any_space_of(user, member)


def can_see_queue(user) -> bool:
    return core.is_moderating_team(user)


def can_see_audit_log(user) -> bool:
    return core.is_admin(user)


def suspension_in_force(user):
    """A site-wide suspension: the person may sign in only to read why."""
    return next((item for item in suspensions_of(user) if item.space_id is None), None)
