"""Personal filters: words and themes a member would rather not see without choosing to."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

THEMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "medication": ("Medication", (
        "medication", "medicine", "antidepressant", "antidepressants", "tablets", "pills",
        "dose", "dosage", "sertraline", "citalopram", "fluoxetine", "mirtazapine", "venlafaxine",
    )),
    "self_harm": ("Self-harm", (
        "self-harm", "self harm", "selfharm", "cutting", "hurt myself", "hurting myself",
    )),
    "suicide": ("Suicidal thoughts", (
        "suicide", "suicidal", "end my life", "kill myself", "ending it",
    )),
    "bereavement": ("Bereavement", (
        "bereavement", "bereaved", "grief", "grieving", "funeral", "passed away", "died",
    )),
    "hospital": ("Hospital stays", (
        "hospital", "hospitalised", "sectioned", "psychiatric ward", "inpatient",
    )),
    "eating": ("Eating and weight", (
        "eating disorder", "anorexia", "bulimia", "weight loss", "calories", "binge",
    )),
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=1024)
def _pattern(phrase: str) -> re.Pattern:
    words = [re.escape(word) for word in _fold(phrase).split()]
    return re.compile(r"(?<!\w)" + r"[\s\-]+".join(words) + r"(?!\w)")


def matching_mute(text: str, mutes: list[tuple[str, str]]) -> str | None:
    """The name of the first muted word or theme found in the text, or None.

    `mutes` holds (phrase, theme) pairs as stored; a theme stands for its list of words.
    """
    folded = _fold(text)
    for phrase, theme in mutes:
        if theme:
            label, words = THEMES.get(theme, ("", ()))
            if any(_pattern(word).search(folded) for word in words):
                return label
        elif phrase and _pattern(phrase).search(folded):
            return f"“{phrase}”"
    return None
