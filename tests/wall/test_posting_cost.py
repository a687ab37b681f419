"""What one Wall message costs the database: the same every time, however long the Wall's
history, and the moderating team (who may post out of hours) never has the hours worked out.
And what a socket's hello costs it: no lock once the Wall's opening is announced, and no history
or list of who is here, which the browser has from its page and its resume."""

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation.models import ContentStatus
from tests.wall.conftest import wall_socket
from wall import services
from wall.models import WallMessage, WallMute

OFFICE_HOURS_TABLES = ("moderation_weeklyopening", "moderation_closure")


def post_and_capture(author, space, client_id: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        services.wall_post(author=author, space=space, client_id=client_id,
                           body="Morning, everyone. A good walk today.")
    return [query["sql"] for query in captured.captured_queries]


def reads_office_hours(statements: list[str]) -> bool:
    return any(table in statement for statement in statements for table in OFFICE_HOURS_TABLES)


def test_a_message_costs_the_same_however_long_the_history(people, talking, in_office_hours,
                                                           risk_phrases):
    post_and_capture(people["member"], talking, "cost-warm-00")  # a person's first costs more
    first = post_and_capture(people["member"], talking, "cost-first-0")
    for n in range(8):
        services.wall_post(author=people["volunteer"], space=talking, client_id=f"cost-fill-{n}",
                           body=f"Filling the history, message {n}.")
    later = post_and_capture(people["member"], talking, "cost-later-0")
    assert len(later) == len(first)
    assert reads_office_hours(later)  # a member may post only in office hours


def test_the_moderating_team_posts_without_working_out_office_hours(people, talking,
                                                                    in_office_hours,
                                                                    risk_phrases):
    # A person's first message, and the Wall's first, cost more: both have posted once before.
    post_and_capture(people["member"], talking, "cost-warm-00")
    post_and_capture(people["volunteer"], talking, "cost-warm-01")
    members = post_and_capture(people["member"], talking, "cost-member-0")
    moderators = post_and_capture(people["volunteer"], talking, "cost-volunteer-0")
    assert not reads_office_hours(moderators)
    assert len(moderators) == len(members) - 2


def test_the_wall_state_is_read_once_a_message(people, talking, in_office_hours, risk_phrases):
    post_and_capture(people["member"], talking, "cost-warm-01")
    statements = post_and_capture(people["member"], talking, "cost-state-0")
    assert sum('FROM "wall_wallstate"' in statement for statement in statements) == 1


def test_out_of_hours_a_member_is_told_when_it_opens_and_the_team_may_still_post(
        people, talking, out_of_hours, risk_phrases):
    # Saturday morning: the default schedule opens again on Monday at 09:00.
    with pytest.raises(services.Refused, match=r"closed outside office hours\. It opens "
                                               r"Monday 23 November at 09:00\."):
        services.wall_post(author=people["member"], space=talking, client_id="closed-member-0",
                           body="Is anyone around this weekend?")
    message = services.wall_post(author=people["volunteer"], space=talking,
                                 client_id="closed-volunteer-0",
                                 body="The Wall opens on Monday at nine.")
    assert message.status == ContentStatus.PUBLISHED


def test_a_message_is_looked_up_by_its_client_id_once(people, talking, in_office_hours,
                                                       risk_phrases):
    post_and_capture(people["member"], talking, "cost-warm-02")
    statements = post_and_capture(people["member"], talking, "cost-lookup-0")
    lookups = [s for s in statements
               if s.startswith("SELECT") and 'FROM "wall_wallmessage"' in s and "client_id" in s]
    assert len(lookups) == 1, lookups


def test_a_resend_is_answered_with_the_first_message_even_once_posting_is_refused(
        people, talking, in_office_hours, risk_phrases):
    first = services.wall_post(author=people["member"], space=talking, client_id="resend-mute-0",
                               body="Sent just before the pause.")
    WallMute.objects.create(space=talking, user=people["member"], by=people["volunteer"],
                            until=timezone.now() + timedelta(minutes=10), reason="")
    with pytest.raises(services.Refused, match="paused your posting"):
        services.wall_post(author=people["member"], space=talking, client_id="resend-mute-1",
                           body="A new message while paused.")
    again = services.wall_post(author=people["member"], space=talking,
                               client_id="resend-mute-0", body="Sent just before the pause.")
    assert again.pk == first.pk
    assert WallMessage.objects.filter(author=people["member"]).count() == 1


def connect_until_it_would_resume(socket) -> tuple[dict, list[str]]:
    """Connect, take the hello and leave before resuming: the hello and the statements run."""

    async def scenario():
        connected, _ = await socket.connect()
        assert connected
        hello = await socket.receive_json_from(timeout=5)
        await socket.receive_nothing(timeout=0.3)  # what the socket does next, if anything
        await socket.disconnect()
        return hello

    with CaptureQueriesContext(connection) as captured:
        hello = async_to_sync(scenario)()
    assert hello["type"] == "hello", hello
    return hello, [query["sql"] for query in captured.captured_queries]


@pytest.mark.django_db(transaction=True)  # the socket's steps close their connections
def test_connecting_reads_the_walls_state_once_and_takes_no_lock_once_opening_is_announced(
        people, talking, in_office_hours):
    connect_until_it_would_resume(wall_socket(people["member"]))  # announces the opening
    _, statements = connect_until_it_would_resume(wall_socket(people["volunteer"]))
    assert not [s for s in statements if "FOR UPDATE" in s], "the Wall's lock was taken"
    reads = [s for s in statements if s.startswith("SELECT") and 'FROM "wall_wallstate"' in s]
    assert len(reads) == 2, reads  # whether the opening is announced; then the state itself
    assert sum("moderation_weeklyopening" in s for s in statements) == 1


@pytest.mark.django_db(transaction=True)  # the socket's steps close their connections
def test_a_connecting_socket_gets_the_state_without_the_history_or_who_is_here(
        people, talking, in_office_hours):
    for n in range(3):
        message = services.wall_post(author=people["volunteer"], space=talking,
                                     client_id=f"before-hello-{n}", body=f"Earlier, {n}.")
    services.wall_react(message=message, user=people["member"], kind="thanks")
    hello, statements = connect_until_it_would_resume(wall_socket(people["member"]))
    assert hello["last_seq"] >= 4 and hello["open"] is True
    assert "history" not in hello and "here" not in hello
    assert not [s for s in statements if 'FROM "wall_wallmessage"' in s
                or 'FROM "wall_wallreaction"' in s], "the history was read"
    assert not [s for s in statements
                if s.startswith('SELECT "community_user"."display_name"')], "names were read"
