"""What content apps add to the core's pages (home, a space's page).

The core cannot import forums, the Wall or the library; each registers, when its app is ready,
a function that returns the extra template context it fills.
"""

from __future__ import annotations

from collections.abc import Callable

HomeContext = Callable[[object], dict]
SpaceContext = Callable[[object, object], dict]

_home: list[HomeContext] = []
_space: list[SpaceContext] = []


def register_home_context(provider: HomeContext) -> None:
    if provider not in _home:
        _home.append(provider)


def register_space_context(provider: SpaceContext) -> None:
    if provider not in _space:
        _space.append(provider)


def home_context(user) -> dict:
    context: dict = {}
    for provider in _home:
        context.update(provider(user))
    return context


def space_context(user, space) -> dict:
    context: dict = {}
    for provider in _space:
        context.update(provider(user, space))
    return context
