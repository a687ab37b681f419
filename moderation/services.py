"""Every write in moderation: duty, reviews, reports, sanctions, escalations, notes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from community import services as core_services
from community.models import Space, User
from moderation import permissions
from moderation.models import DutyShift
from moderation.office_hours import office_hours


@transaction.atomic
def duty_start(*, user: User, space: Space) -> DutyShift:
    """Clock on in a space. The shift ends by itself when office hours end."""
    if not permissions.can_moderate(user, space):
        raise PermissionDenied("Only the moderating team of this space can go on duty here.")
    hours = office_hours(space)
    if not hours.is_open:
        raise ValidationError("The space is outside office hours, so nobody can go on duty.")
    current = DutyShift.objects.on_duty().filter(user=user, space=space).first()
    if current is not None:
        return current
    shift = DutyShift.objects.create(user=user, space=space, ends_by=hours.changes_at)
    core_services.audit_record(actor=user, action="duty.start", target=shift, space=space)
    return shift


@transaction.atomic
def duty_end(*, user: User, space: Space) -> None:
    now = timezone.now()
    for shift in DutyShift.objects.on_duty(now).filter(user=user, space=space):
        shift.ended_at = now
        shift.save(update_fields=["ended_at"])
        core_services.audit_record(actor=user, action="duty.end", target=shift, space=space)
