"""The library: writes (publishing, feedback, saving) and reads (browse, search, related).

Embedded videos come only from allow-listed hosts, turned into their privacy-friendly player
address; anything else is refused.
"""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from community import permissions
from community import services as core_services
from community.markup import render_markdown
from community.models import (
    Notification,
    Resource,
    ResourceFeedback,
    Role,
    SavedResource,
    Space,
    Topic,
    User,
)

EMBED_HOSTS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_VIMEO_ID = re.compile(r"^[0-9]{4,12}$")
WORDS_PER_MINUTE = 200


def embed_url_for(url: str) -> str:
    """The player address for a YouTube or Vimeo page, or ValidationError for anything else."""
    parsed = urlparse((url or "").strip())
    host = (parsed.hostname or "").lower()
    if parsed.scheme != "https":
        raise ValidationError("Videos are embedded only from https addresses on YouTube or Vimeo.")
    if host in {"youtube.com", "www.youtube.com", "m.youtube.com"}:
        video = parse_qs(parsed.query).get("v", [""])[0]
    elif host == "youtu.be":
        video = parsed.path.lstrip("/")
    elif host in {"youtube-nocookie.com", "www.youtube-nocookie.com"} and \
            parsed.path.startswith("/embed/"):
        video = parsed.path.removeprefix("/embed/")
    elif host in {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}:
        video = parsed.path.rstrip("/").rsplit("/", 1)[-1]
        if not _VIMEO_ID.match(video):
            raise ValidationError("That doesn't look like a Vimeo video address.")
        return f"https://player.vimeo.com/video/{video}"
    else:
        raise ValidationError("Videos can be embedded only from YouTube or Vimeo.")
    if not _YOUTUBE_ID.match(video):
        raise ValidationError("That doesn't look like a YouTube video address.")
    return f"https://www.youtube-nocookie.com/embed/{video}"


def sniff_video(upload) -> str:
    """The content type of an uploaded video, read from its first bytes (never its name), or
    ValidationError."""
    if upload.size > settings.LIBRARY_VIDEO_MAX_BYTES:
        limit = settings.LIBRARY_VIDEO_MAX_BYTES // (1024 * 1024)
        raise ValidationError(f"Videos can be up to {limit} MB.")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    raise ValidationError("That file isn't an MP4 or WebM video.")


def check_captions(upload) -> None:
    if upload.size > settings.LIBRARY_CAPTIONS_MAX_BYTES:
        raise ValidationError("Captions files can be up to 1 MB.")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT"):
        raise ValidationError("Captions must be a WebVTT (.vtt) file.")


def _check_publishable(resource: Resource) -> None:
    if resource.kind == Resource.Kind.VIDEO:
        if resource.video_file:
            if not resource.captions_file and not resource.body.strip():
                raise ValidationError("A video can't be published without captions or a "
                                      "transcript.")
        elif not resource.embed_url:
            raise ValidationError("A video needs a YouTube or Vimeo address, or a file.")
        elif not resource.body.strip():
            raise ValidationError("A video can't be published without a written transcript.")
    if resource.kind == Resource.Kind.LINK:
        parsed = urlparse(resource.url)
        if parsed.scheme not in {"http", "https"} or not parsed.hostname:
            raise ValidationError("A link needs an http or https address.")
    if resource.kind == Resource.Kind.ARTICLE and not resource.body.strip():
        raise ValidationError("An article needs its text.")


@transaction.atomic
def resource_save(*, resource: Resource, editor: User | None, publish: bool = False) -> Resource:
    """Render, validate and store a resource written by the moderating team or an admin
    (`editor` None: demo data or the console)."""
    if editor is not None and not permissions.is_moderating_team(editor):
        raise PermissionDenied("The moderating team and admins write library resources.")
    uploaded = resource.kind == Resource.Kind.VIDEO and bool(resource.video_file)
    resource.embed_url = embed_url_for(resource.url) if (
        resource.kind == Resource.Kind.VIDEO and not uploaded) else ""
    if uploaded and not resource.video_type:
        resource.video_type = sniff_video(resource.video_file)
    if resource.captions_file and resource.captions_file.name and not resource.pk:
        check_captions(resource.captions_file)
    resource.body_html = render_markdown(resource.body)
    if resource.kind == Resource.Kind.ARTICLE:
        resource.minutes = max(1, math.ceil(len(resource.body.split()) / WORDS_PER_MINUTE))
    if publish:
        _check_publishable(resource)
        resource.status = Resource.Status.PUBLISHED
        resource.published_at = resource.published_at or timezone.now()
    resource.save()
    return resource


def resource_feedback(*, resource: Resource, user: User, helpful: bool) -> bool:
    """Record "was this helpful?" once; False if the person had already answered."""
    try:
        with transaction.atomic():
            ResourceFeedback.objects.create(resource=resource, user=user, helpful=helpful)
    except IntegrityError:
        return False
    return True


def resource_save_toggle(*, resource: Resource, user: User) -> bool:
    deleted, _ = SavedResource.objects.filter(resource=resource, user=user).delete()
    if deleted:
        return False
    SavedResource.objects.get_or_create(resource=resource, user=user)
    return True


def browse(user, *, topic: str = "", kind: str = "", audience: str = "", query: str = ""):
    """Published resources this person may see, filtered; a fixed number of queries."""
    saved = SavedResource.objects.filter(user=user, resource=OuterRef("pk"))
    resources = (
        Resource.objects.visible_to(user)
        .prefetch_related("topics")
        .annotate(is_saved=Exists(saved))
    )
    if topic:
        resources = resources.filter(topics__slug=topic)
    if kind in Resource.Kind.values:
        resources = resources.filter(kind=kind)
    if audience in Resource.Audience.values:
        resources = resources.filter(audience=audience)
    query = " ".join((query or "").replace("\x00", " ").split())[:200]
    if query:
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            resources = resources.alias(
                document=SearchVector("title", "summary", "body", config="english")
            ).filter(document=SearchQuery(query, search_type="websearch", config="english"))
        else:
            for word in query.split():
                resources = resources.filter(
                    Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
                )
    return resources


def resource_for(user, pk: int) -> Resource | None:
    return Resource.objects.visible_to(user).prefetch_related("topics").filter(pk=pk).first()


def related(user, resource: Resource, limit: int = 3) -> list[Resource]:
    """Other resources this person may see that share a topic, most shared first."""
    topic_ids = [topic.pk for topic in resource.topics.all()]
    if not topic_ids:
        return []
    return list(
        Resource.objects.visible_to(user).exclude(pk=resource.pk)
        .filter(topics__in=topic_ids)
        .annotate(shared=Count("topics", filter=Q(topics__in=topic_ids)))
        .order_by("-shared", "-published_at")[:limit]
    )


def topics() -> list[Topic]:
    return list(Topic.objects.all())


# --- Recovery stories written by members and carers ---------------------------------------------

STORY_AUDIENCES = {Role.MEMBER: Resource.Audience.EVERYONE, Role.CARER: Resource.Audience.CARERS}
EDITABLE = (Resource.Status.DRAFT, Resource.Status.CHANGES_REQUESTED)


def _story_text(title: str, summary: str, body: str) -> tuple[str, str, str]:
    title, summary, body = (" ".join((title or "").split()), " ".join((summary or "").split()),
                            (body or "").strip())
    problems = {}
    if not title or len(title) > 150:
        problems["title"] = "Give your story a title of up to 150 characters."
    if not summary or len(summary) > 300:
        problems["summary"] = "Sum it up in up to 300 characters."
    if not body or len(body) > 20_000:
        problems["body"] = "Write your story (up to 20,000 characters)."
    if problems:
        raise ValidationError(problems)
    return title, summary, body


@transaction.atomic
def story_save(*, author: User, title: str, summary: str, body: str,
               story: Resource | None = None) -> Resource:
    """Write or rewrite one's own story while it is a draft or has changes requested."""
    if author.role not in STORY_AUDIENCES:
        raise PermissionDenied("Recovery stories are written by members and carers.")
    if story is not None:
        story = Resource.objects.select_for_update().get(pk=story.pk)
        if story.author_id != author.pk or story.status not in EDITABLE:
            raise PermissionDenied("This story can't be changed now.")
    title, summary, body = _story_text(title, summary, body)
    story = story or Resource(kind=Resource.Kind.ARTICLE, is_story=True, author=author,
                              audience=STORY_AUDIENCES[author.role])
    story.title, story.summary, story.body = title, summary, body
    story.body_html = render_markdown(body)
    story.minutes = max(1, math.ceil(len(body.split()) / WORDS_PER_MINUTE))
    story.save()
    return story


# The risk check lives in moderation, which the core may not import: moderation registers it.
_story_screener = None


def register_story_screener(screener) -> None:
    """`screener(author=, space=, story=)` returns the risk tier matched ("" for none)."""
    global _story_screener
    _story_screener = screener


@transaction.atomic
def story_submit(*, story: Resource, author: User) -> str:
    """Send one's story for review. Returns the risk tier its text matched, so the writer can
    be offered support."""
    story = Resource.objects.select_for_update().get(pk=story.pk)
    if story.author_id != author.pk or story.status not in EDITABLE:
        raise PermissionDenied("This story can't be submitted now.")
    story.status, story.submitted_at = Resource.Status.SUBMITTED, timezone.now()
    story.save(update_fields=["status", "submitted_at"])
    space = Space.objects.visible_to(author).first()
    tier = _story_screener(author=author, space=space, story=story) if _story_screener else ""
    core_services.audit_record(actor=author, action="story.submit", target=story)
    return tier


@transaction.atomic
def story_review(*, story: Resource, reviewer: User, decision: str, note: str = "") -> Resource:
    """Request changes, approve, or publish a submitted (or approved) story; the author is told
    at each step."""
    if not permissions.is_moderating_team(reviewer):
        raise PermissionDenied("Stories are reviewed by the moderating team.")
    story = Resource.objects.select_for_update().get(pk=story.pk, is_story=True)
    allowed = {
        "request_changes": (Resource.Status.SUBMITTED, Resource.Status.APPROVED),
        "approve": (Resource.Status.SUBMITTED,),
        "publish": (Resource.Status.SUBMITTED, Resource.Status.APPROVED),
    }
    if decision not in allowed or story.status not in allowed[decision]:
        raise ValidationError("That can't be done to this story now.")
    note = (note or "").strip()
    if decision == "request_changes" and not note:
        raise ValidationError({"note": "Say what to change: the author sees your note."})
    story.status = {"request_changes": Resource.Status.CHANGES_REQUESTED,
                    "approve": Resource.Status.APPROVED,
                    "publish": Resource.Status.PUBLISHED}[decision]
    story.reviewed_by, story.reviewed_at, story.review_note = reviewer, timezone.now(), note
    if story.status == Resource.Status.PUBLISHED:
        story.published_at = timezone.now()
    story.save()
    titles = {
        "request_changes": f"The moderating team asked for changes to “{story.title}”",
        "approve": f"Your story “{story.title}” was approved",
        "publish": f"Your story “{story.title}” is published in the library",
    }
    core_services.notification_send(
        recipient=story.author, kind=Notification.Kind.MODERATOR, title=titles[decision],
        message=note, url=reverse("story_list"),
    )
    core_services.audit_record(actor=reviewer, action=f"story.{decision}", target=story,
                               reason=note)
    return story
