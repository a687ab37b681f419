"""Wall messages, as the moderation app sees them (registered in WallConfig.ready)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import Truncator

from wall import permissions, services
from wall.models import WallMessage


class WallMessageAdapter:
    key = services.MESSAGE_KEY
    label = "Wall message"

    def get(self, pk: int):
        return WallMessage.objects.select_related("space", "author").filter(pk=pk).first()

    def preview(self, item: WallMessage) -> str:
        return Truncator(item.body).chars(400)

    def body(self, item: WallMessage) -> str:
        return item.body

    def author(self, item: WallMessage):
        return item.author

    def space(self, item: WallMessage):
        return item.space

    def url(self, item: WallMessage) -> str:
        return reverse("wall:wall", kwargs={"slug": item.space.slug}) + f"#message-{item.pk}"

    def status(self, item: WallMessage) -> str:
        return item.status

    def can_view(self, user, item: WallMessage) -> bool:
        return permissions.can_join(user, item.space) and WallMessage.objects.visible_to(
            user).filter(pk=item.pk).exists()

    def hide(self, item: WallMessage, *, moderator, reason: str) -> None:
        services.wall_hide(message=item, moderator=moderator, reason=reason)

    def restore(self, item: WallMessage, *, moderator) -> None:
        services.wall_publish(message=item, moderator=moderator, restoring=True)

    def approve(self, item: WallMessage, *, moderator) -> None:
        services.wall_publish(message=item, moderator=moderator)

    can_edit = False

    def edit(self, item: WallMessage, *, moderator, body: str, note: str) -> None:
        raise ValidationError("Wall messages can't be edited: hide it with a reason instead.")


