"""Rules for display names, which keep members pseudonymous to each other."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError

DISPLAY_NAME_MIN = 3
DISPLAY_NAME_MAX = 30
_ALLOWED = re.compile(r"^[\w .'\-]+$")
_EMAIL_LIKE = re.compile(r"[^\s@]+\s*(@|\(at\)|\[at\])\s*[^\s@]+\.[^\s@]+", re.IGNORECASE)
_URL_LIKE = re.compile(
    r"(https?:|www\.|://|\b[a-z0-9-]+\.(com|org|net|uk|io|co|info|me|app|ly|gov|nhs|ac)\b)",
    re.IGNORECASE,
)
_PHONE_LIKE = re.compile(r"(?:\+?\d[\s\-.()]*){7,}")
# Names shorter than this are too likely to appear inside ordinary words to refuse them.
_NAME_MIN_TO_MATCH = 3


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _compact(text: str) -> str:
    return re.sub(r"[\W_]+", "", _fold(text))


def validate_display_name(display_name: str, *, first_name: str = "", last_name: str = "") -> str:
    """Return the cleaned display name or raise ValidationError saying what to change."""
    name = " ".join(display_name.split())
    if len(name) < DISPLAY_NAME_MIN or len(name) > DISPLAY_NAME_MAX:
        raise ValidationError(
            f"Choose a display name between {DISPLAY_NAME_MIN} and {DISPLAY_NAME_MAX} characters.",
            code="length",
        )
    if _EMAIL_LIKE.search(name) or "@" in name:
        raise ValidationError(
            "A display name cannot be an email address: other members would see it.", code="email"
        )
    if _PHONE_LIKE.search(name):
        raise ValidationError(
            "A display name cannot contain a phone number: other members would see it.",
            code="phone",
        )
    if _URL_LIKE.search(name):
        raise ValidationError("A display name cannot be a web address.", code="url")
    if not _ALLOWED.match(name):
        raise ValidationError(
            "Use letters, numbers, spaces, hyphens, apostrophes and full stops only.",
            code="characters",
        )
    compact = _compact(name)
    for private in (first_name, last_name):
        for part in _fold(private).split():
            part = _compact(part)
            if len(part) >= _NAME_MIN_TO_MATCH and part in compact:
                raise ValidationError(
                    "Your display name contains your real name. Choose one that keeps you "
                    "anonymous: other members will see it.",
                    code="real_name",
                )
    return name
