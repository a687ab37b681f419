"""Reads for the Wall: its history, and what a reconnecting browser missed."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count

from moderation.models import ContentStatus
from wall.events import message_payload, skipped
from wall.models import WallEvent, WallMessage, WallReaction, WallState

HISTORY_SIZE = 50


def history(user, space, limit: int = HISTORY_SIZE, *, moderating: bool = False
            ) -> list[WallMessage]:
    """The latest messages this person may see, oldest first."""
    latest = (
        WallMessage.objects.filter(space=space).visible_to(user, moderating=moderating)
        .select_related("author").order_by("-created_at", "-id")[:limit]
    )
    return list(reversed(latest))


def history_payload(user, space, *, moderating: bool = False) -> list[dict]:
    messages = history(user, space, moderating=moderating)
    counts: dict[int, dict[str, int]] = {}
    for message_id, kind, total in (
        WallReaction.objects.filter(message__in=messages).values("message_id", "kind")
        .annotate(total=Count("id")).values_list("message_id", "kind", "total")
    ):
        counts.setdefault(message_id, {})[kind] = total
    for message in messages:
        message.reaction_counts = counts.get(message.pk, {})
    return [message_payload(message) for message in messages]


def last_seq(space) -> int:
    return WallState.objects.filter(space=space).values_list("last_seq", flat=True).first() or 0


def events_since(user, space, after: int) -> list[dict] | None:
    """Every event after `after` this person may see, in order; None when they have been away
    too long (or sent a number from the future) and should reload the history instead."""
    latest = last_seq(space)
    if after < 0 or after > latest or latest - after > settings.WALL_RESUME_LIMIT:
        return None
    events = WallEvent.objects.filter(space=space, seq__gt=after).order_by("seq")
    return [{"seq": e.seq, "kind": e.kind, "payload": e.payload}
            if e.only_for_id in (None, user.pk) else skipped(e.seq) for e in events]


def state_of(space) -> WallState:
    """The Wall's numbering, slow mode and pinned message in one read (before the Wall's first
    event, an unsaved blank state)."""
    return (WallState.objects.filter(space=space).select_related("pinned__author").first()
            or WallState(space=space))


def pinned_payload(space, state: WallState | None = None) -> dict | None:
    pinned = (state or state_of(space)).pinned
    if pinned is None or pinned.status != ContentStatus.PUBLISHED:
        return None
    return message_payload(pinned)


def home_context(user) -> dict:
    """Each of the person's Walls, and whether it is open now."""
    from community.models import Space
    from moderation.office_hours import office_hours

    return {"walls": [(space, office_hours(space)) for space in Space.objects.visible_to(user)]}


def export_messages(user) -> list[dict]:
    return [{"space": m.space.name, "body": m.body, "status": m.status, "at": m.created_at}
            for m in WallMessage.objects.filter(author=user).select_related("space")]
