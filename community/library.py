"""The library: writes (publishing, feedback, saving) and reads (browse, search, related).

Embedded videos come only from allow-listed hosts, turned into their privacy-friendly player
address; anything else is refused.
"""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from community import permissions
from community.markup import render_markdown
from community.models import Resource, ResourceFeedback, SavedResource, Topic, User

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


def _check_publishable(resource: Resource) -> None:
    if resource.kind == Resource.Kind.VIDEO:
        if not resource.embed_url:
            raise ValidationError("A video needs a YouTube or Vimeo address.")
        if not resource.body.strip():
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
    resource.embed_url = embed_url_for(resource.url) if resource.kind == Resource.Kind.VIDEO \
        else ""
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
