"""What the Wall sends to browsers: plain JSON types only (Redis serialises them; the in-memory
test layer does not, so the tests round-trip them through JSON)."""

from __future__ import annotations

import json

from django.conf import settings

from community import permissions as core


def wall_group(space_id: int) -> str:
    return f"wall.{space_id}"


def event_frame(event: dict) -> str:
    """The text a browser gets for a numbered event (encoded once, sent to many sockets)."""
    return json.dumps({"type": "event", "seq": event["seq"], "kind": event["kind"],
                       "payload": event["payload"]})


def skipped(seq: int) -> dict:
    """What a reader who may not see an event gets in its place (a held message goes to its
    author alone): the number, so that their browser sees no gap and does not ask again."""
    return {"seq": seq, "kind": "skip", "payload": {}}


def event_message(event) -> dict:
    """The channel-layer message for a numbered Wall event."""
    return {"type": "wall.event", "seq": event.seq, "kind": event.kind,
            "payload": event.payload, "only_for": event.only_for_id}


def message_payload(message) -> dict:
    author = message.author
    return {
        "id": message.pk,
        "client_id": message.client_id,
        "author": author.display_name,
        "author_id": author.pk,
        "avatar": f"{settings.STATIC_URL}{author.avatar_static_path}",
        "badge": author.get_role_display() if core.is_moderating_team(author) else "",
        "body_html": message.body_html,
        "reply_to": message.reply_to_id,
        "status": message.status,
        "held_because": message.held_because,
        "created_at": message.created_at.isoformat(),
        "reactions": dict(getattr(message, "reaction_counts", {})),
    }
