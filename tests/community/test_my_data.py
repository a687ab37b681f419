"""My data: the export holds every record of the member and nothing private of anyone else."""

import io
import json
import zipfile
import zoneinfo
from datetime import datetime

import time_machine
from django.urls import reverse

from community import library, plans
from community import services as core_services
from community.models import Resource
from forums import services as forum_services
from forums.models import Category, Reaction
from moderation import services as moderation_services
from wall import services as wall_services

MONDAY_10AM = datetime(2026, 11, 23, 10, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


def download(client) -> tuple[dict, str]:
    response = client.get(reverse("my_data_download"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return (json.loads(archive.read("harbour-data.json")),
            archive.read("harbour-data.html").decode())


def test_the_export_holds_every_record_of_the_member(client_for, people, talking, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    member = people["member"]
    member.first_name, member.last_name = "Priya", "Ramanathan"
    member.save()
    category = Category.objects.create(space=talking, name="Staying well", slug="staying-well")
    thread = forum_services.thread_create(author=people["volunteer"], category=category,
                                          title="Walks", body="The volunteer's private words")
    post = forum_services.post_create(author=member, thread=thread, body="My own reply")
    forum_services.reaction_toggle(post=thread.posts.get(number=1), user=member, kind="relate")
    forum_services.bookmark_toggle(post=thread.posts.get(number=1), user=member)
    with time_machine.travel(MONDAY_10AM, tick=True):
        wall_services.wall_post(author=member, space=talking, client_id="export-01",
                                body="My Wall message")
    resource = Resource(kind="article", title="A resource", summary="s", body="b",
                        author=people["clinician"])
    library.resource_save(resource=resource, editor=people["clinician"], publish=True)
    library.resource_save_toggle(resource=resource, user=member)
    library.resource_feedback(resource=resource, user=member, helpful=True)
    plans.safety_plan_save(user=member, shared_with_team=False,
                           reasons_for_living="My sister")
    plans.staying_well_plan_save(user=member, texts={"what_helps": "Swimming"})
    moderation_services.report_create(reporter=member, reason="spam", note="Looks like spam",
                                      target_type="forums.post",
                                      target_id=thread.posts.get(number=1).pk)
    core_services.notification_send(recipient=member, kind="moderator", title="Hello from us")

    data, page = download(client_for(member))
    assert data["profile"]["email"] == member.email
    assert data["profile"]["last_name"] == "Ramanathan"
    assert [k["space"] for k in data["keys"]] == ["Talking Therapies"]
    assert [p["body"] for p in data["forum_posts"]] == ["My own reply"]
    assert [r["kind"] for r in data["forum_reactions"]] == ["relate"]
    assert len(data["forum_saved_posts"]) == 1
    assert [m["body"] for m in data["wall_messages"]] == ["My Wall message"]
    assert data["saved_resources"][0]["title"] == "A resource"
    assert data["resource_feedback"][0]["helpful"] is True
    assert data["safety_plan"]["reasons_for_living"] == "My sister"
    assert data["staying_well_plan"] == {"what_helps": "Swimming"}
    assert data["reports_made"][0]["note"] == "Looks like spam"
    assert any(n["title"] == "Hello from us" for n in data["notifications"])
    assert "My own reply" in page and "Ramanathan" in page
    text = json.dumps(data)
    for other in people.values():
        if other.pk != member.pk:
            assert other.email not in text, "no other member's email"
    assert "The volunteer's private words" not in text, "others' posts are not the member's"
    assert Reaction.objects.filter(user=member).count() == 1 and post.pk


def test_each_person_downloads_only_their_own(client_for, people):
    data, _ = download(client_for(people["carer"]))
    assert data["profile"]["email"] == people["carer"].email
    assert data["forum_posts"] == [] and data["wall_messages"] == []
