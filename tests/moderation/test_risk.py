"""The risk check: tiers, matching rules, holding, alerts and what the writer sees."""

import json
import zoneinfo
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from community.models import Notification
from forums import services as forum_services
from moderation import services
from moderation.models import ContentStatus, ReviewItem, RiskPhrase
from moderation.risk import assess

LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
SATURDAY_10AM = datetime(2026, 11, 21, 10, 0, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("I want to KILL MYSELF tonight", "high"),
        ("I've been stockpiling tablets", "high"),
        ("Everything feels hopeless", "medium"),
        ("I can’t go on like this", "medium"),  # curly apostrophe
        ("I can't go on like this", "medium"),
        ("thinking about self harm again", "medium"),
        ("thinking about self-harm again", "medium"),
        ("Hopeless!", "medium"),
        ("Feeling hopeful today", ""),  # word boundaries: hopeful is not hopeless
        ("The killer whale documentary", ""),
        ("", ""),
    ],
)
def test_tiers_and_word_boundaries(db, text, tier):
    assert assess([text]).tier == tier


def test_accents_and_case_do_not_hide_a_phrase(db):
    assert assess(["HÓPELÉSS"]).tier == "medium"


def test_staff_edit_phrases(db):
    RiskPhrase.objects.create(phrase="dark thoughts", tier="medium")
    assert assess(["so many dark thoughts"]).tier == "medium"
    RiskPhrase.objects.filter(phrase="hopeless").update(is_active=False)
    assert assess(["hopeless"]).tier == ""


def test_high_tier_is_held_queued_and_alerts_whoever_is_on_duty(people, staying_well,
                                                                 settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    with time_machine.travel(MONDAY_10AM, tick=False):
        services.duty_start(user=people["volunteer"], space=staying_well.space)
        thread = forum_services.thread_create(author=people["member"], category=staying_well,
                                              title="Tonight", body="I want to end my life")
    post = thread.posts.get()
    assert post.status == ContentStatus.HELD and post.risk_tier == "high"
    item = ReviewItem.objects.get(target_id=post.pk)
    assert (item.kind, item.tier) == ("risk", "high")
    assert (item.due_at - item.created_at).total_seconds() == 15 * 60
    alerts = Notification.objects.filter(kind="alert")
    assert [n.recipient for n in alerts] == [people["volunteer"]]
    assert "end my life" not in alerts[0].title


def test_medium_tier_is_published_and_queued_to_check_in(people, staying_well, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    thread = forum_services.thread_create(author=people["member"], category=staying_well,
                                          title="Low", body="Feeling worthless this week")
    post = thread.posts.get()
    assert post.status == ContentStatus.PUBLISHED
    assert ReviewItem.objects.get(target_id=post.pk).tier == "medium"


def test_out_of_hours_high_tier_waits_for_office_hours(people, staying_well, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    with time_machine.travel(SATURDAY_10AM, tick=False):
        thread = forum_services.thread_create(author=people["member"], category=staying_well,
                                              title="Weekend", body="I want to die")
    item = ReviewItem.objects.get(target_id=thread.posts.get().pk)
    assert item.due_at == datetime(2026, 11, 23, 9, 15, tzinfo=LONDON)
    assert thread.posts.get().status == ContentStatus.HELD


def test_the_writer_sees_support_and_is_told_nobody_is_on_duty(client_for, people,
                                                               staying_well, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    with time_machine.travel(SATURDAY_10AM):
        client = client_for(people["member"])  # signed in at the travelled-to time
        response = client.post(
            reverse("forums:new_thread", args=["talking-therapies", "staying-well"]),
            {"title": "Weekend", "body": "I want to die"}, follow=True,
        )
        again = client.get(reverse("home")).content.decode()
    page = response.content.decode()
    assert "It sounds like things are really hard right now" in page
    assert "Nobody from the moderating team is online right now" in page
    assert "116 123" in page and "Your safety plan" in page
    assert "It sounds like things are really hard" not in again, "shown once"


def test_compose_check_returns_only_the_tier(client_for, people):
    client = client_for(people["member"])
    response = client.post(reverse("moderation:risk_check"), {"text": "so hopeless"})
    assert json.loads(response.content) == {"tier": "medium"}
    assert json.loads(client.post(reverse("moderation:risk_check"),
                                  {"text": "nice day"}).content) == {"tier": ""}
    assert client.get(reverse("moderation:risk_check")).status_code == 405


def test_compose_forms_carry_the_check_and_a_hidden_support_panel(client_for, people,
                                                                  staying_well):
    page = client_for(people["member"]).get(
        reverse("forums:new_thread", args=["talking-therapies", "staying-well"])
    ).content.decode()
    assert 'data-risk-check="/moderation/check/"' in page
    assert 'hidden id="risk-support"' in page


def test_thread_titles_are_checked_too(people, staying_well, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    thread = forum_services.thread_create(author=people["member"], category=staying_well,
                                          title="I want to kill myself", body="that's all")
    assert thread.status == ContentStatus.HELD
