"""The one screening call every piece of member-written text passes before publication.

Until the risk check lands (the moderation issue), screening publishes everything except what the
writer or the content app asks to hold. Content apps call `screen` and store the status it gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from moderation.models import ContentStatus


@dataclass(frozen=True)
class Screening:
    status: str
    held_because: str = ""
    tier: str = ""  # the risk tier matched: "", "medium" or "high"
    matched_phrases: tuple[str, ...] = field(default_factory=tuple)

    @property
    def held(self) -> bool:
        return self.status == ContentStatus.HELD


HELD_ASKED = "You asked a moderator to check this first."
HELD_NEW_MEMBER = "A moderator checks the first posts of every new member."


def screen(*, author, space, texts: list[str], hold_because: str = "") -> Screening:
    """Decide whether new text is published now or held for a moderator."""
    if hold_because:
        return Screening(status=ContentStatus.HELD, held_because=hold_because)
    return Screening(status=ContentStatus.PUBLISHED)
