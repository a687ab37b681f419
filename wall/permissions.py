"""Who may do what on a Wall. `*_refusal` returns None when allowed, or what to tell them."""

from __future__ import annotations

from django.utils import timezone

from community import permissions as core
from moderation import permissions as moderation
from moderation.office_hours import office_hours
from wall.models import WallMute


def can_join(user, space) -> bool:
    return core.can_enter_space(user, space) and moderation.suspension_in_force(user) is None


def can_moderate(user, space, *, verified: bool = True) -> bool:
    """The space's moderating team, signed in with a second factor (`verified`)."""
    return verified and moderation.can_moderate(user, space)


def mute_for(user, space):
    return WallMute.objects.filter(user=user, space=space, until__gt=timezone.now()).order_by(
        "-until").first()


def posting_refusal(user, space, now=None) -> str | None:
    if not can_join(user, space):
        return "You can't post on this Wall."
    suspension = moderation.suspension_for(user, space)
    if suspension is not None:
        return "Your account is paused, so you can't post at the moment."
    mute = mute_for(user, space)
    if mute is not None:
        until = timezone.localtime(mute.until)
        return f"A moderator has paused your posting on this Wall until {until:%H:%M}."
    if can_moderate(user, space):
        return None  # the moderating team may post out of hours: no need to work them out
    hours = office_hours(space, now)
    if not hours.is_open:
        opens = (f" It opens {timezone.localtime(hours.changes_at):%A %-d %B at %H:%M}."
                 if hours.changes_at else "")
        return f"The Wall is closed outside office hours.{opens}"
    return None
