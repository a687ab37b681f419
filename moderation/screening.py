"""The one screening call every piece of member-written text passes before publication.

`screen` decides, before the content is saved, whether it is published or held, and which risk
tier it matched. After saving, the content app calls `screening_followup` so that the review
queue and the on-duty team hear of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from moderation.models import ContentStatus, RiskPhrase
from moderation.risk import assess

HELD_ASKED = "You asked a moderator to check this first."
HELD_NEW_MEMBER = "A moderator checks the first posts of every new member."
HELD_RISK = (
    "A moderator will look at this before it is shown to others, because it may mean you are "
    "going through something very hard."
)


@dataclass(frozen=True)
class Screening:
    status: str
    held_because: str = ""
    tier: str = ""  # the risk tier matched: "", "medium" or "high"
    matched_phrases: tuple[str, ...] = field(default_factory=tuple)
    asked_for_check: bool = False

    @property
    def held(self) -> bool:
        return self.status == ContentStatus.HELD


def screen(*, author, space, texts: list[str], hold_because: str = "") -> Screening:
    """Decide whether new text is published now or held for a moderator."""
    risk = assess(texts)
    if risk.tier == RiskPhrase.Tier.HIGH:
        return Screening(status=ContentStatus.HELD, held_because=HELD_RISK, tier=risk.tier,
                         matched_phrases=risk.phrases)
    if hold_because:
        return Screening(status=ContentStatus.HELD, held_because=hold_because, tier=risk.tier,
                         matched_phrases=risk.phrases,
                         asked_for_check=hold_because == HELD_ASKED)
    return Screening(status=ContentStatus.PUBLISHED, tier=risk.tier,
                     matched_phrases=risk.phrases)
