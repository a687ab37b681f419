"""The live review queue at /ws/moderation/: new items, claims and resolutions appear in every
moderator's browser without a reload. Only the moderating team, signed in with two factors."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from community import permissions as core
from community.models import Space
from community.twofactor import session_is_verified
from moderation import events
from moderation.permissions import suspension_in_force

CLOSE_NOT_ALLOWED = 4403


class QueueConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        space_ids = await self._moderated_space_ids(user)
        if space_ids is None:
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        self.groups_joined = [events.queue_group(pk) for pk in space_ids]
        self.groups_joined.append(events.user_group(user.pk))
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "spaces": space_ids})

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        # The queue is read-only over the socket: actions go through the pages' forms.
        await self.send_json({"type": "error", "message": "This connection only listens."})

    async def queue_event(self, event):
        await self.send_json({"type": "queue", "event": event["event"], "item": event["item"]})

    async def force_disconnect(self, event):
        await self.close(code=CLOSE_NOT_ALLOWED)

    @database_sync_to_async
    def _moderated_space_ids(self, user):
        if user is None or not core.is_moderating_team(user):
            return None
        if not session_is_verified(user, self.scope.get("session")):
            return None
        if suspension_in_force(user) is not None:
            return None
        return [space.pk for space in Space.objects.visible_to(user)
                if core.can_moderate_space(user, space)]
