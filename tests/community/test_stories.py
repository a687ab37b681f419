"""Recovery stories: written by members and carers, reviewed by the team, with the author told
at each step; and the team's own writing page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from community import library
from community.models import AuditEntry, Notification, Resource
from moderation.models import ReviewItem, RiskPhrase
from tests.authorisation import ROLES, STORIES, assert_matrix_response

STORY = {"title": "Back to the choir", "summary": "How singing helped me again.",
         "body": "I stopped singing when I was unwell. Going back was worth it."}


def write_story(client, **extra):
    return client.post(reverse("story_new"), {**STORY, **extra})


def test_the_whole_review_workflow(client_for, people):
    author = client_for(people["member"])
    assert write_story(author).status_code == 302
    story = Resource.objects.get()
    assert (story.status, story.is_story, story.audience) == ("draft", True, "everyone")
    assert "Back to the choir" not in client_for(people["carer"]).get(
        reverse("library")).content.decode()
    author.post(reverse("story_edit", args=[story.pk]), {**STORY, "submit": "1"})
    story.refresh_from_db()
    assert story.status == "submitted" and story.submitted_at
    reviewer = client_for(people["volunteer"])
    reviewer.post(reverse("story_review", args=[story.pk]),
                  {"decision": "request_changes", "note": "Please leave out the town's name"})
    story.refresh_from_db()
    assert story.status == "changes_requested" and story.reviewed_by == people["volunteer"]
    page = author.get(reverse("story_list")).content.decode()
    assert "Please leave out the town" in page
    author.post(reverse("story_edit", args=[story.pk]), {**STORY, "submit": "1"})
    reviewer.post(reverse("story_review", args=[story.pk]), {"decision": "approve"})
    reviewer.post(reverse("story_review", args=[story.pk]), {"decision": "publish"})
    story.refresh_from_db()
    assert story.status == "published" and story.published_at
    told = list(Notification.objects.filter(recipient=people["member"]).values_list(
        "title", flat=True))
    assert len(told) == 3 and any("published" in title for title in told)
    assert AuditEntry.objects.filter(action__startswith="story.").count() == 5
    assert "Back to the choir" in client_for(people["carer"]).get(
        reverse("library")).content.decode()


def test_carers_stories_are_for_carers(client_for, people):
    write_story(client_for(people["carer"]))
    assert Resource.objects.get().audience == "carers"


def test_the_team_does_not_write_stories_and_members_do_not_review(people):
    with pytest.raises(PermissionDenied):
        library.story_save(author=people["volunteer"], **STORY)
    story = library.story_save(author=people["member"], **STORY)
    library.story_submit(story=story, author=people["member"])
    with pytest.raises(PermissionDenied):
        library.story_review(story=story, reviewer=people["carer"], decision="publish")


def test_asking_for_changes_needs_a_note_and_published_stories_are_final(people):
    story = library.story_save(author=people["member"], **STORY)
    library.story_submit(story=story, author=people["member"])
    with pytest.raises(ValidationError):
        library.story_review(story=story, reviewer=people["clinician"],
                             decision="request_changes")
    library.story_review(story=story, reviewer=people["clinician"], decision="publish")
    with pytest.raises(PermissionDenied):
        library.story_save(author=people["member"], story=story, **STORY)


def test_the_risk_check_reads_stories_and_the_writer_sees_support(client_for, people):
    RiskPhrase.objects.get_or_create(phrase="hopeless", defaults={"tier": "medium"})
    client = client_for(people["member"])
    response = client.post(reverse("story_new"), {**STORY, "body": "I felt hopeless for years",
                                                  "submit": "1"}, follow=True)
    assert "It sounds like things are really hard right now" in response.content.decode()
    assert ReviewItem.objects.filter(target_type="library.story", tier="medium").exists()


def test_story_form_errors_keep_the_text(client_for, people):
    response = client_for(people["member"]).post(
        reverse("story_new"), {"title": "", "summary": "Kept summary", "body": "Kept body"})
    assert response.status_code == 400
    assert "Kept summary" in response.content.decode()
    assert not Resource.objects.exists()


def test_the_team_writes_and_publishes(client_for, people):
    client = client_for(people["peer_supporter"])
    response = client.post(reverse("resource_write"), {
        "kind": "video", "title": "Breathing", "summary": "Short exercise",
        "body": "Transcript words", "url": "https://youtu.be/aXItOY0sLRY", "minutes": 5,
        "audience": "everyone", "publish": "on"})
    assert response.status_code == 302
    assert Resource.objects.get().embed_url == "https://www.youtube-nocookie.com/embed/aXItOY0sLRY"
    refused = client.post(reverse("resource_write"), {
        "kind": "video", "title": "Bad", "summary": "x", "body": "t",
        "url": "https://evil.example/v", "minutes": 5, "audience": "everyone"})
    assert refused.status_code == 400
    assert "YouTube or Vimeo" in refused.content.decode()




@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "kwargs", "data", "expected"), STORIES,
                         ids=[f"{name}-{method}" for name, method, *_ in STORIES])
def test_story_page_matrix(client_for, people, role, name, method, kwargs, data, expected):
    story = library.story_save(author=people["member"], **STORY)
    filled = {k: story.pk for k in kwargs}
    response = getattr(client_for(people.get(role)), method)(reverse(name, kwargs=filled), data)
    assert_matrix_response(response, expected[role], role, name)
