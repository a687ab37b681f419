"""Finding @mentions of display names in what a member wrote."""

from __future__ import annotations

import re

from community.identity import DISPLAY_NAME_MAX

_MENTION_START = re.compile(r"(?<![\w@])@(?=[\w])")
# Up to four words after the @.
_WORDS = re.compile(r"[\w.'\-]+(?: [\w.'\-]+){0,3}")


# More @s than this in one post are not all looked up: nobody means to mention so many people.
MAX_MENTIONS = 20


def mention_candidates(text: str) -> set[str]:
    """Every run of up to four words after an @, lower-cased: one of them may be a display
    name (display names can hold spaces)."""
    candidates: set[str] = set()
    for index, match in enumerate(_MENTION_START.finditer(text)):
        if index >= MAX_MENTIONS:
            break
        following = text[match.end(): match.end() + DISPLAY_NAME_MAX + 1]
        words = _WORDS.match(following)
        if not words:
            continue
        parts = words.group(0).split(" ")
        for length in range(1, len(parts) + 1):
            candidate = " ".join(parts[:length]).rstrip(".'-").lower()
            if candidate:
                candidates.add(candidate)
    return candidates
