"""The library: audiences, embeds, publishing rules, feedback, saving, search and queries."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community import library
from community.models import Resource, ResourceFeedback, SavedResource, Topic
from tests.authorisation import LIBRARY, ROLES, assert_matrix_response


def make(people, title, *, kind=Resource.Kind.ARTICLE, audience=Resource.Audience.EVERYONE,
         body="Some helpful words", url="", publish=True, spaces=(), topics=()):
    resource = Resource(kind=kind, audience=audience, title=title, summary=f"About {title}",
                        body=body, url=url, author=people["clinician"])
    library.resource_save(resource=resource, editor=people["clinician"], publish=publish)
    resource.spaces.set(spaces)
    resource.topics.set(topics)
    return resource


@pytest.fixture
def shelf(people, talking, carers_space):
    topic = Topic.objects.create(name="Staying well", slug="staying-well")
    return {
        "everyone": make(people, "For everyone", topics=[topic]),
        "carers": make(people, "For carers", audience=Resource.Audience.CARERS, topics=[topic]),
        "talking": make(people, "Talking space only", audience=Resource.Audience.SPACES,
                        spaces=[talking], topics=[topic]),
        "draft": make(people, "Unpublished draft", publish=False, topics=[topic]),
    }


VISIBLE = {
    "member": {"For everyone", "Talking space only"},
    "member_without_key": {"For everyone"},
    "carer": {"For everyone", "For carers"},
    "peer_supporter": {"For everyone", "For carers", "Talking space only"},
    "volunteer": {"For everyone", "For carers", "Talking space only"},
    "clinician": {"For everyone", "For carers", "Talking space only"},
    "admin": {"For everyone", "For carers", "Talking space only"},
}


@pytest.mark.parametrize("role", list(VISIBLE))
def test_audience_and_keys_decide_who_sees_what(client_for, people, shelf, role):
    client = client_for(people[role])
    page = client.get(reverse("library")).content.decode()
    for key, resource in shelf.items():
        shown = resource.title in VISIBLE[role]
        assert (resource.title in page) is shown, (role, key)
        status = client.get(reverse("library_resource", args=[resource.pk])).status_code
        assert status == (200 if shown else 404), (role, key)
        if shown:
            related_page = client.get(reverse("library_resource", args=[resource.pk]))
            assert "Unpublished draft" not in related_page.content.decode()


def test_search_and_filters_never_show_drafts_or_other_audiences(client_for, people, shelf):
    client = client_for(people["member"])
    for query in ({"q": "draft"}, {"q": "carers"}, {"topic": "staying-well"},
                  {"kind": "article"}, {"audience": "carers"}):
        page = client.get(reverse("library"), query).content.decode()
        assert "Unpublished draft" not in page and "For carers" not in page


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        ("https://www.youtube.com/watch?v=aXItOY0sLRY",
         "https://www.youtube-nocookie.com/embed/aXItOY0sLRY"),
        ("https://youtu.be/aXItOY0sLRY", "https://www.youtube-nocookie.com/embed/aXItOY0sLRY"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
    ],
)
def test_allowed_video_addresses_become_privacy_friendly_players(url, embed):
    assert library.embed_url_for(url) == embed


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
     "http://www.youtube.com/watch?v=aXItOY0sLRY", "https://evil.example/watch?v=aXItOY0sLRY",
     "https://youtube.com.evil.example/watch?v=abcdefg", "https://vimeo.com/not-a-number",
     "https://www.youtube.com/watch?v=<script>", ""],
)
def test_other_embeds_are_refused(url):
    with pytest.raises(ValidationError):
        library.embed_url_for(url)


def test_a_video_needs_a_transcript_to_be_published(people):
    with pytest.raises(ValidationError, match="transcript"):
        make(people, "Silent video", kind=Resource.Kind.VIDEO, body="",
             url="https://youtu.be/aXItOY0sLRY")
    assert not Resource.objects.filter(status=Resource.Status.PUBLISHED).exists()


def test_only_the_team_writes(people):
    resource = Resource(kind=Resource.Kind.ARTICLE, title="x", summary="x", body="x",
                        author=people["member"])
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        library.resource_save(resource=resource, editor=people["member"], publish=True)


def test_video_pages_allow_only_the_embed_hosts_as_frames(client_for, people):
    video = make(people, "Breathing", kind=Resource.Kind.VIDEO, body="Transcript: breathe in",
                 url="https://youtu.be/aXItOY0sLRY")
    response = client_for(people["member"]).get(reverse("library_resource", args=[video.pk]))
    csp = response.headers["Content-Security-Policy"]
    frame = next(part for part in csp.split(";") if part.strip().startswith("frame-src"))
    assert frame.split()[1:] == ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
    assert "Transcript: breathe in" in response.content.decode()
    other = client_for(people["member"]).get(reverse("library"))
    assert "frame-src 'none'" in other.headers["Content-Security-Policy"]


def test_helpful_is_asked_once_and_saving_toggles(client_for, people, shelf):
    client = client_for(people["member"])
    resource = shelf["everyone"]
    client.post(reverse("library_feedback", args=[resource.pk]), {"helpful": "yes"})
    client.post(reverse("library_feedback", args=[resource.pk]), {"helpful": "no"})
    assert list(ResourceFeedback.objects.values_list("helpful", flat=True)) == [True]
    assert "Was this helpful?" not in client.get(
        reverse("library_resource", args=[resource.pk])).content.decode()
    client.post(reverse("library_save", args=[resource.pk]))
    assert "For everyone" in client.get(reverse("library_saved")).content.decode()
    client.post(reverse("library_save", args=[resource.pk]))
    assert not SavedResource.objects.exists()


def test_list_and_search_run_a_fixed_number_of_queries(client_for, people, shelf):
    client = client_for(people["member"])
    topic = Topic.objects.get()
    counts = []
    for size in (1, 20):
        while Resource.objects.filter(title__startswith="Extra").count() < size:
            n = Resource.objects.count()
            make(people, f"Extra {n}", topics=[topic])
        for params in ({}, {"q": "Extra"}):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("library"), params).status_code == 200
            counts.append(len(captured))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts




@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "kwargs", "data", "expected"), LIBRARY,
                         ids=[f"{name}-{method}" for name, method, *_ in LIBRARY])
def test_library_page_matrix(client_for, people, shelf, role, name, method, kwargs, data,
                             expected):
    filled = {k: shelf[v.strip("<>")].pk if v.startswith("<") else v for k, v in kwargs.items()}
    response = getattr(client_for(people.get(role)), method)(reverse(name, kwargs=filled), data)
    assert_matrix_response(response, expected[role], role, name)
