"""The risk check: staff-editable phrases in tiers, matched on word boundaries, ignoring case
and accents. Only the tier and the phrases matched leave this module, never the text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from moderation.models import RiskPhrase

TIER_ORDER = {RiskPhrase.Tier.HIGH: 2, RiskPhrase.Tier.MEDIUM: 1, "": 0}

# Seeded by migration; staff edit them in the admin site. High: intent, plans or means of
# suicide or serious self-harm. Medium: hopelessness, self-harm mentioned.
DEFAULT_PHRASES = {
    RiskPhrase.Tier.HIGH: [
        "kill myself", "killing myself", "end my life", "ending my life", "take my own life",
        "taking my own life", "want to die", "going to die tonight", "suicide plan",
        "plan to end it", "overdose", "overdosing", "hang myself", "hanging myself",
        "slit my wrists", "jump off a bridge", "not be here tomorrow", "saying goodbye forever",
        "better off dead", "stockpiling tablets",
    ],
    RiskPhrase.Tier.MEDIUM: [
        "hopeless", "no point", "no point in anything", "can't go on", "cannot go on",
        "worthless", "nobody would miss me", "self harm", "self-harm", "self harming",
        "hurt myself", "hurting myself", "cutting myself", "want to disappear",
        "give up on everything", "no way out", "trapped", "a burden",
    ],
}


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=4096)
def _pattern(phrase: str) -> re.Pattern:
    words = [re.escape(word) for word in re.split(r"[\s\-]+", fold(phrase)) if word]
    # Apostrophes come straight or curly; words may be split by spaces or hyphens.
    body = r"[\s\-]+".join(words).replace("\\'", "['’]").replace("'", "['’]")
    return re.compile(r"(?<!\w)" + body + r"(?!\w)")


@dataclass(frozen=True)
class RiskMatch:
    tier: str  # "high", "medium" or ""
    phrases: tuple[str, ...] = ()


def assess(texts: list[str]) -> RiskMatch:
    """The highest tier any active phrase matches in the texts, and the phrases matched."""
    folded = "\n".join(fold(text) for text in texts if text)
    if not folded:
        return RiskMatch(tier="")
    matched: dict[str, list[str]] = {}
    # Unordered: the phrases matched are sorted below, and every post and reply runs this.
    for phrase, tier in (RiskPhrase.objects.filter(is_active=True).order_by()
                         .values_list("phrase", "tier")):
        if _pattern(phrase).search(folded):
            matched.setdefault(tier, []).append(phrase)
    if not matched:
        return RiskMatch(tier="")
    tier = max(matched, key=TIER_ORDER.__getitem__)
    return RiskMatch(tier=tier, phrases=tuple(sorted(matched[tier])))
