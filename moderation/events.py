"""Live events for the moderation queue. Payloads are plain JSON types; they are sent only
after the transaction that caused them commits."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def queue_group(space_id: int) -> str:
    return f"moderation.space.{space_id}"


def user_group(user_id: int) -> str:
    """Every live connection of one person joins this group, so they can be closed at once."""
    return f"user.{user_id}"


def _send(group: str, payload: dict) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, payload)


def item_payload(item, event: str) -> dict:
    return {
        "type": "queue.event",
        "event": event,
        "item": {
            "id": item.pk,
            "kind": item.kind,
            "tier": item.tier,
            "space": item.space_id,
            "summary": item.summary,
            "due_at": item.due_at.isoformat(),
            "claimed_by": item.claimed_by.display_name if item.claimed_by_id else None,
            "resolved": item.resolved_at is not None,
        },
    }


def queue_changed(item, event: str) -> None:
    payload = item_payload(item, event)
    transaction.on_commit(lambda: _send(queue_group(item.space_id), payload))


def disconnect_user(user_id: int, reason: str) -> None:
    payload = {"type": "force.disconnect", "reason": reason}
    transaction.on_commit(lambda: _send(user_group(user_id), payload))
