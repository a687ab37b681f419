"""Forum posts, as the moderation app sees them (registered in ForumsConfig.ready)."""

from __future__ import annotations

from django.utils.text import Truncator

from forums import services
from forums.models import Post


class PostAdapter:
    key = services.POST_KEY
    label = "Forum post"

    def get(self, pk: int):
        return Post.objects.select_related("thread__category__space", "author").filter(
            pk=pk
        ).first()

    def preview(self, item: Post) -> str:
        return Truncator(item.body).chars(400)

    def author(self, item: Post):
        return item.author

    def space(self, item: Post):
        return item.thread.category.space

    def url(self, item: Post) -> str:
        return services.post_url(item)

    def status(self, item: Post) -> str:
        return item.status

    def can_view(self, user, item: Post) -> bool:
        return Post.objects.visible_to(user).filter(pk=item.pk).exists()

    def hide(self, item: Post, *, moderator, reason: str) -> None:
        services.post_hide(post=item, moderator=moderator, reason=reason)

    can_edit = True

    def edit(self, item: Post, *, moderator, body: str, note: str) -> None:
        services.post_moderator_edit(post=item, moderator=moderator, body=body, note=note)

    def body(self, item: Post) -> str:
        return item.body

    def restore(self, item: Post, *, moderator) -> None:
        services.post_restore(post=item, moderator=moderator)

    def approve(self, item: Post, *, moderator) -> None:
        services.post_approve(post=item, moderator=moderator)
