"""Reads for moderation pages and for the content apps that show moderation state."""

from __future__ import annotations

from django.utils import timezone

from community.models import User
from moderation.models import DutyShift, ReviewItem


def on_duty(space, now=None) -> list[User]:
    """Who is on duty in the space now, in the order they clocked on."""
    shifts = DutyShift.objects.on_duty(now).filter(space=space).select_related("user")
    return [shift.user for shift in shifts.order_by("started_at")]


def is_out_of_hours_mode(space, now=None) -> bool:
    """Nobody on duty: high-risk content stays held, report thresholds act by themselves."""
    return not DutyShift.objects.on_duty(now).filter(space=space).exists()


def queue_for(moderator):
    """Open items in the spaces this person moderates: highest risk first, then oldest."""
    from django.db.models import Case, IntegerField, Value, When

    return (
        ReviewItem.objects.open().for_moderator(moderator)
        .select_related("space", "member", "claimed_by")
        .annotate(tier_rank=Case(When(tier="high", then=Value(0)),
                                 When(tier="medium", then=Value(1)),
                                 default=Value(2), output_field=IntegerField()))
        .order_by("tier_rank", "created_at")
        .distinct()
    )


def high_tier_handled_this_shift(moderator, now=None) -> int:
    """High-tier items this person resolved since their current shift began (or today)."""
    now = now or timezone.now()
    shift = DutyShift.objects.on_duty(now).filter(user=moderator).order_by("started_at").first()
    since = shift.started_at if shift else timezone.localtime(now).replace(hour=0, minute=0,
                                                                          second=0, microsecond=0)
    return ReviewItem.objects.filter(resolved_by=moderator, tier="high",
                                     resolved_at__gte=since).count()


def item_for(moderator, pk: int) -> ReviewItem:
    from django.http import Http404

    item = (ReviewItem.objects.for_moderator(moderator).select_related(
        "space", "member", "claimed_by", "resolved_by").filter(pk=pk).first())
    if item is None:
        raise Http404("No such item.")
    return item


def duty_space_ids(user) -> list[int]:
    return list(DutyShift.objects.on_duty().filter(user=user).values_list("space_id", flat=True))


def space_context(user, space) -> dict:
    """Office hours and who is on duty, for a space's page."""
    from moderation.office_hours import office_hours

    return {"office_hours": office_hours(space), "on_duty": on_duty(space)}


def export_reports_made(user) -> list[dict]:
    """Reports the person made: what they said, never anything the team added."""
    from moderation.models import Report

    return [{"reason": r.reason, "note": r.note, "about": r.target_type or "a member",
             "at": r.created_at} for r in Report.objects.filter(reporter=user)]
