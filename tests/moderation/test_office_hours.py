"""Office hours at the edges: the closing minute, weekends, bank holidays, staff closures, and
the clocks changing. Times are London time."""

import zoneinfo
from datetime import date, datetime, time

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from moderation import selectors, services
from moderation.models import Closure, DutyShift, WeeklyOpening
from moderation.office_hours import office_hours

LONDON = zoneinfo.ZoneInfo("Europe/London")


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("moment", "is_open", "changes_at"),
    [
        (london(2026, 11, 23, 8, 59), False, london(2026, 11, 23, 9, 0)),   # Monday, before
        (london(2026, 11, 23, 9, 0), True, london(2026, 11, 23, 17, 0)),    # opening minute
        (london(2026, 11, 23, 16, 59, 59), True, london(2026, 11, 23, 17, 0)),
        (london(2026, 11, 23, 17, 0), False, london(2026, 11, 24, 9, 0)),   # closing minute
        (london(2026, 11, 27, 17, 30), False, london(2026, 11, 30, 9, 0)),  # Friday evening
        (london(2026, 11, 28, 12, 0), False, london(2026, 11, 30, 9, 0)),   # Saturday
    ],
)
def test_default_schedule_edges(talking, moment, is_open, changes_at):
    hours = office_hours(talking, moment)
    assert hours.is_open is is_open
    assert hours.changes_at == changes_at


def test_bank_holidays_are_closed(talking):
    # Christmas Day 2026 is a Friday; Boxing Day is observed on Monday 28 December.
    christmas = office_hours(talking, london(2026, 12, 25, 11, 0))
    assert not christmas.is_open
    assert christmas.closed_because == "Christmas Day"
    assert christmas.changes_at == london(2026, 12, 29, 9, 0)


def test_staff_closures_close_with_their_reason(talking, carers_space):
    Closure.objects.create(space=talking, starts_on=date(2026, 11, 24),
                           ends_on=date(2026, 11, 25), reason="Team training")
    hours = office_hours(talking, london(2026, 11, 24, 10, 0))
    assert not hours.is_open and hours.closed_because == "Team training"
    assert hours.changes_at == london(2026, 11, 26, 9, 0)
    assert office_hours(carers_space, london(2026, 11, 24, 10, 0)).is_open


def test_closures_for_every_space(talking):
    Closure.objects.create(space=None, starts_on=date(2026, 11, 23), ends_on=date(2026, 11, 23),
                           reason="Service-wide closure")
    assert not office_hours(talking, london(2026, 11, 23, 12, 0)).is_open


def test_clocks_changing_keep_london_times(talking):
    # Clocks go forward on Sunday 29 March 2026: 09:00 on Monday is 08:00 UTC.
    friday_close = office_hours(talking, london(2026, 3, 27, 17, 0))
    assert friday_close.changes_at == london(2026, 3, 30, 9, 0)
    assert friday_close.changes_at.astimezone(zoneinfo.ZoneInfo("UTC")).hour == 8
    # And back on Sunday 25 October 2026: 09:00 on Monday is 09:00 UTC again.
    autumn = office_hours(talking, london(2026, 10, 23, 18, 0))
    assert autumn.changes_at.astimezone(zoneinfo.ZoneInfo("UTC")).hour == 9


def test_a_space_can_have_its_own_schedule(talking):
    WeeklyOpening.objects.create(space=talking, weekday=5, opens=time(10), closes=time(12))
    assert office_hours(talking, london(2026, 11, 28, 11, 0)).is_open  # Saturday
    assert not office_hours(talking, london(2026, 11, 23, 11, 0)).is_open  # Monday now closed


def test_overlapping_and_back_to_back_openings_read_as_one(talking):
    for opens, closes in ((16, 17), (13, 15), (10, 12), (11, 13)):  # stored out of order
        WeeklyOpening.objects.create(space=talking, weekday=5, opens=time(opens),
                                     closes=time(closes))
    at_half_past_eleven = office_hours(talking, london(2026, 11, 28, 11, 30))
    assert at_half_past_eleven.is_open
    assert at_half_past_eleven.changes_at == london(2026, 11, 28, 15, 0)
    in_the_gap = office_hours(talking, london(2026, 11, 28, 15, 30))
    assert not in_the_gap.is_open and in_the_gap.changes_at == london(2026, 11, 28, 16, 0)
    after_the_last = office_hours(talking, london(2026, 11, 28, 17, 0))
    assert not after_the_last.is_open
    assert after_the_last.changes_at == london(2026, 12, 5, 10, 0)  # next Saturday


@pytest.fixture
def monday_morning():
    with time_machine.travel(london(2026, 11, 23, 10, 0), tick=False) as traveller:
        yield traveller


def test_going_on_and_off_duty(people, talking, monday_morning):
    assert selectors.is_out_of_hours_mode(talking)
    services.duty_start(user=people["volunteer"], space=talking)
    assert selectors.on_duty(talking) == [people["volunteer"]]
    assert not selectors.is_out_of_hours_mode(talking)
    services.duty_end(user=people["volunteer"], space=talking)
    assert selectors.on_duty(talking) == []


def test_duty_ends_by_itself_when_office_hours_end(people, talking, monday_morning):
    services.duty_start(user=people["clinician"], space=talking)
    monday_morning.move_to(london(2026, 11, 23, 16, 59))
    assert selectors.on_duty(talking) == [people["clinician"]]
    monday_morning.move_to(london(2026, 11, 23, 17, 0))
    assert selectors.on_duty(talking) == []
    assert selectors.is_out_of_hours_mode(talking)


def test_only_the_spaces_team_goes_on_duty(people, talking, carers_space, monday_morning):
    with pytest.raises(PermissionDenied):
        services.duty_start(user=people["member"], space=talking)
    with pytest.raises(PermissionDenied):
        services.duty_start(user=people["peer_supporter"], space=carers_space)
    assert not DutyShift.objects.exists()


def test_nobody_goes_on_duty_out_of_hours(people, talking):
    with time_machine.travel(london(2026, 11, 28, 10, 0)), pytest.raises(ValidationError):
        services.duty_start(user=people["volunteer"], space=talking)
