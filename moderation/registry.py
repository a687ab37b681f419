"""Content apps register what can be moderated, so moderation never imports them.

Each registers, under a key such as "forums.post", an adapter that finds an item, shows a
preview, names its author and space, and hides, restores or approves it through the content
app's own services (which tell the author, withdraw notifications and keep counters).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class Moderatable(Protocol):
    key: str
    label: str

    def get(self, pk: int): ...
    def preview(self, item) -> str: ...
    def author(self, item): ...
    def space(self, item): ...
    def url(self, item) -> str: ...
    def status(self, item) -> str: ...
    def can_view(self, user, item) -> bool: ...
    def hide(self, item, *, moderator, reason: str) -> None: ...
    def restore(self, item, *, moderator) -> None: ...
    def edit(self, item, *, moderator, body: str, note: str) -> None: ...
    def body(self, item) -> str: ...
    def approve(self, item, *, moderator) -> None: ...


_registry: dict[str, Moderatable] = {}


def register(adapter: Moderatable) -> None:
    _registry[adapter.key] = adapter


def adapter_for(key: str) -> Moderatable | None:
    return _registry.get(key)


@dataclass(frozen=True)
class Target:
    """A moderatable item found through its adapter."""

    adapter: Moderatable
    item: object

    @property
    def key(self) -> str:
        return self.adapter.key

    @property
    def pk(self) -> int:
        return self.item.pk


def find(key: str, pk) -> Target | None:
    adapter = adapter_for(key)
    if adapter is None:
        return None
    from community.converters import parse_id

    number = parse_id(pk)
    if number is None:
        return None
    item = adapter.get(number)
    return Target(adapter, item) if item is not None else None
