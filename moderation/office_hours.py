"""Office hours: is a space open at a given moment, and when does that change next?

A space opens by its weekly schedule (or the default one), in the site's time zone, except on
bank holidays and on days staff have closed it. Openings never cross midnight.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from moderation.models import Closure, WeeklyOpening

# How far ahead to look for the next opening: long enough for the longest closure staff add.
HORIZON_DAYS = 62


@dataclass(frozen=True)
class OfficeHours:
    is_open: bool
    changes_at: datetime | None  # the next opening or closing, None if none within the horizon
    closed_because: str = ""  # today's bank holiday or closure, if any


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@lru_cache(maxsize=32)
def _bank_holidays(year: int) -> dict[date, str]:
    calendar = holidays.country_holidays(
        settings.OFFICE_HOURS_HOLIDAYS_COUNTRY,
        subdiv=settings.OFFICE_HOURS_HOLIDAYS_SUBDIVISION or None,
        years=year,
    )
    return dict(calendar.items())


def _weekly(space) -> list[tuple[int, time, time]]:
    openings = list(
        WeeklyOpening.objects.filter(space=space).values_list("weekday", "opens", "closes")
    )
    return openings or list(settings.OFFICE_HOURS_DEFAULT)


def _closures(space, first: date, last: date) -> list[tuple[date, date, str]]:
    return list(
        Closure.objects.filter(Q(space=space) | Q(space__isnull=True))
        .filter(starts_on__lte=last, ends_on__gte=first)
        .order_by("starts_on", "pk")
        .values_list("starts_on", "ends_on", "reason")
    )


def _closed_because(day: date, closures) -> str:
    for starts, ends, reason in closures:
        if starts <= day <= ends:
            return reason
    return _bank_holidays(day.year).get(day, "")


def _intervals(weekly, closures, start_day: date, days: int):
    """The openings from `start_day` on, in order. Lazily: the Wall asks on every message, and
    the answer is nearly always within the first day or two of the horizon."""
    zone = _zone()
    for offset in range(days):
        day = start_day + timedelta(days=offset)
        if _closed_because(day, closures):
            continue
        # Openings never cross midnight, so sorting each day's sorts them all.
        yield from sorted(
            (datetime.combine(day, opens, tzinfo=zone), datetime.combine(day, closes, tzinfo=zone))
            for weekday, opens, closes in weekly if weekday == day.weekday()
        )


def office_hours(space, at: datetime | None = None) -> OfficeHours:
    """Whether the space is in office hours at `at` (default: now), and when that changes."""
    at = (at or timezone.now()).astimezone(_zone())
    closures = _closures(space, at.date(), at.date() + timedelta(days=HORIZON_DAYS))
    intervals = _intervals(_weekly(space), closures, at.date(), HORIZON_DAYS)
    upcoming = None
    for opens, closes in intervals:
        if opens > at:
            upcoming = opens
            break
        if at < closes:
            # Back-to-back openings read as one.
            for next_opens, next_closes in intervals:
                if next_opens > closes:
                    break
                closes = max(closes, next_closes)
            return OfficeHours(is_open=True, changes_at=closes)
    return OfficeHours(
        is_open=False, changes_at=upcoming, closed_because=_closed_because(at.date(), closures),
    )
