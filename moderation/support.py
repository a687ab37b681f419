"""Support after a risk-check match, for content held or published in a space."""

from __future__ import annotations

from community import support
from moderation import selectors

SESSION_KEY = support.SESSION_KEY


def remember_support(request, *, tier: str, held: bool, space) -> None:
    support.remember_support(request, tier=tier, held=held,
                             out_of_hours=bool(tier) and selectors.is_out_of_hours_mode(space))
