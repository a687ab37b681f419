"""Reads for moderation pages and for the content apps that show moderation state."""

from __future__ import annotations

from community.models import User
from moderation.models import DutyShift


def on_duty(space, now=None) -> list[User]:
    """Who is on duty in the space now, in the order they clocked on."""
    shifts = DutyShift.objects.on_duty(now).filter(space=space).select_related("user")
    return [shift.user for shift in shifts.order_by("started_at")]


def is_out_of_hours_mode(space, now=None) -> bool:
    """Nobody on duty: high-risk content stays held, report thresholds act by themselves."""
    return not DutyShift.objects.on_duty(now).filter(space=space).exists()
