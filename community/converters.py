"""URL converters. Database ids are at most 18 digits, so a longer number is simply not a
page (404) rather than an overflow deep in the database driver (500)."""

from django.urls import register_converter

MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")


def parse_id(value) -> int | None:
    """An id from a form or query string, or None if it cannot be one."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None
