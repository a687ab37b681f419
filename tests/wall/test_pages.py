"""The Wall's page: who may see it, posting without JavaScript, and its state in and out of
office hours."""

import re

import pytest
import time_machine
from django.urls import reverse

from moderation.models import Closure
from tests.authorisation import ROLES, WALL, assert_matrix_response
from tests.conftest import MONDAY_10AM, SATURDAY_10AM
from wall import services
from wall.models import WallMessage


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "kwargs", "data", "expected"), WALL,
                         ids=[name for name, *_ in WALL])
def test_wall_page_matrix(client_for, people, talking, role, name, method, kwargs, data,
                          expected):
    with time_machine.travel(MONDAY_10AM, tick=True):
        response = getattr(client_for(people.get(role)), method)(reverse(name, kwargs=kwargs),
                                                                 data)
    assert_matrix_response(response, expected[role], role, name)


def wall_url():
    return reverse("wall:wall", kwargs={"slug": "talking-therapies"})


def post_url():
    return reverse("wall:post", kwargs={"slug": "talking-therapies"})


def test_posting_without_javascript_and_the_latest_messages(client_for, people, talking):
    with time_machine.travel(MONDAY_10AM, tick=True):
        client = client_for(people["member"])
        page = client.get(wall_url()).content.decode()
        client_id = re.search(r'name="client_id" value="([0-9a-f]{32})"', page).group(1)
        response = client.post(post_url(), {"client_id": client_id, "body": "No script here"})
        assert response.status_code == 302
        again = client.post(post_url(), {"client_id": client_id, "body": "No script here"})
        assert again.status_code == 302, "a double submit is the same message"
        page = client_for(people["volunteer"]).get(wall_url()).content.decode()
    assert WallMessage.objects.count() == 1
    assert "No script here" in page
    assert 'id="wall-announcer" aria-live="polite"' in page and "Connection:" in page


def test_bad_input_keeps_the_text(client_for, people, talking):
    with time_machine.travel(MONDAY_10AM, tick=True):
        client = client_for(people["member"])
        long = "word " * 300
        response = client.post(post_url(), {"client_id": "toolong-01", "body": long})
    assert response.status_code == 400
    assert "up to 1,000 characters" in response.content.decode()
    assert long.strip()[:200] in response.content.decode()


def test_out_of_hours_the_wall_is_read_only_and_says_when_it_opens(client_for, people, talking):
    with time_machine.travel(SATURDAY_10AM, tick=True):
        client = client_for(people["member"])
        page = client.get(wall_url()).content.decode()
        refused = client.post(post_url(), {"client_id": "weekend-01", "body": "Anyone here?"})
    assert "read-only outside office hours" in page
    assert "It opens Monday 23 November at 09:00" in page
    assert "Urgent help" in page
    assert refused.status_code == 403
    assert "Anyone here?" in refused.content.decode(), "nothing typed is lost"
    assert not WallMessage.objects.exists()


def test_staff_closures_close_the_wall(client_for, people, talking):
    Closure.objects.create(space=talking, starts_on=MONDAY_10AM.date(),
                           ends_on=MONDAY_10AM.date(), reason="Team training day")
    with time_machine.travel(MONDAY_10AM, tick=True):
        response = client_for(people["member"]).post(
            post_url(), {"client_id": "closed-001", "body": "Hello?"})
    assert response.status_code == 403


def test_held_messages_show_only_to_their_author(client_for, people, talking):
    from moderation.models import RiskPhrase
    from tests.conftest import make_user

    RiskPhrase.objects.get_or_create(phrase="end my life", defaults={"tier": "high"})
    reader = make_user("member", "Wall Reader", spaces=[talking])
    with time_machine.travel(MONDAY_10AM, tick=True):
        services.wall_post(author=people["member"], space=talking, client_id="held-web-1",
                           body="I want to end my life")
        own = client_for(people["member"]).get(wall_url()).content.decode()
        theirs = client_for(reader).get(wall_url()).content.decode()
    assert "end my life" in own and "Waiting for a moderator" in own
    assert "end my life" not in theirs


def test_held_messages_show_to_moderators_only_with_the_second_factor(client_for, people,
                                                                      talking):
    from moderation.models import RiskPhrase

    RiskPhrase.objects.get_or_create(phrase="end my life", defaults={"tier": "high"})
    with time_machine.travel(MONDAY_10AM, tick=True):
        services.wall_post(author=people["member"], space=talking, client_id="held-web-2",
                           body="I want to end my life")
        without = client_for(people["volunteer"], second_factor=False).get(wall_url())
        verified = client_for(people["volunteer"]).get(wall_url())
    assert "end my life" not in without.content.decode()
    assert "end my life" in verified.content.decode()
    assert 'id="risk-support"' in verified.content.decode(), "support is ready while composing"


def test_a_nul_in_the_form_is_a_clear_400_that_keeps_the_text(client_for, people, talking):
    with time_machine.travel(MONDAY_10AM, tick=True):
        response = client_for(people["member"]).post(
            post_url(), {"client_id": "nul-form-1", "body": "Kept words\x00here"})
    assert response.status_code == 400
    assert "Kept words" in response.content.decode()
