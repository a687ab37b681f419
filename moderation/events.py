"""Live events for the moderation queue. Payloads are plain JSON types; they are sent only
after the transaction that caused them commits."""

from __future__ import annotations

from community.live import disconnect_user, group_send_after_commit, user_group

__all__ = ["disconnect_user", "item_payload", "queue_changed", "queue_group", "user_group"]


def queue_group(space_id: int) -> str:
    return f"moderation.space.{space_id}"


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
    group_send_after_commit(queue_group(item.space_id), item_payload(item, event))
