"""What a writer sees when the risk check matched what they wrote: supportive words, urgent
help, and (when it arrives) their own safety plan. Shown on the next page they see."""

from __future__ import annotations

from moderation import selectors

SESSION_KEY = "harbour_support"


def remember_support(request, *, tier: str, held: bool, space) -> None:
    if not tier:
        return
    request.session[SESSION_KEY] = {
        "tier": tier,
        "held": held,
        "out_of_hours": selectors.is_out_of_hours_mode(space),
    }
