"""Which notifications may still be shown: content apps register how to tell.

A notification about a post that has since been hidden, held or removed, or that sits in a space
the recipient lost the key to, must disappear. Community cannot import the content apps, so each
registers a function answering "which of these ids may this person see?" in one query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

VisibleIds = Callable[[object, Iterable[int]], set[int]]

_visibility: dict[str, VisibleIds] = {}


def register_target(target_type: str, visible_ids: VisibleIds) -> None:
    _visibility[target_type] = visible_ids


def visible_target_ids(target_type: str, user, ids: Iterable[int]) -> set[int]:
    check = _visibility.get(target_type)
    if check is None:
        return set()
    return check(user, ids)
