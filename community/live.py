"""Live connections, as the core sees them: every socket a person opens joins a group named for
them, so signing out, losing a key or a suspension can close them all at once."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def group_send_after_commit(group: str, payload: dict) -> None:
    """Send to a channel-layer group once the current transaction commits (at once if none)."""

    def send():
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group, payload)

    transaction.on_commit(send)


def disconnect_user(user_id: int, reason: str) -> None:
    group_send_after_commit(user_group(user_id), {"type": "force.disconnect", "reason": reason})
