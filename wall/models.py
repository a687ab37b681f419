"""The Wall: short live messages inside a space, and the numbered events that carry them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from community import permissions as core
from community.models import Space
from community.reactions import ReactionKind
from moderation.models import ContentStatus

MESSAGE_MAX = 1000


class WallState(models.Model):
    """Per-space counters and settings, locked whenever an event is numbered."""

    space = models.OneToOneField(Space, on_delete=models.CASCADE, related_name="wall_state")
    last_seq = models.PositiveBigIntegerField(default=0)
    pinned = models.ForeignKey("WallMessage", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    slow_mode_seconds = models.PositiveIntegerField(default=0)
    last_known_open = models.BooleanField(null=True, blank=True,
                                          help_text="The open/closed state last announced.")


class WallMessageQuerySet(models.QuerySet):
    def visible_to(self, user, *, moderating: bool = True):
        """Published messages; a person's own held ones; for the moderating team of the space,
        held ones too, but only when `moderating` (signed in with a second factor)."""
        readable = Q(status=ContentStatus.PUBLISHED)
        if user.is_authenticated:
            readable |= Q(status=ContentStatus.HELD, author=user)
            if moderating:
                readable |= Q(status=ContentStatus.HELD, space__in=core.moderated_spaces(user))
        return self.filter(readable)


class WallMessage(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="wall_messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="wall_messages")
    client_id = models.CharField(max_length=64, help_text="The browser's id for this message, "
                                 "so a resend after a dropped connection creates nothing new.")
    body = models.TextField(max_length=MESSAGE_MAX)
    body_html = models.TextField()
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="replies")
    status = models.CharField(max_length=10, choices=ContentStatus.choices,
                              default=ContentStatus.PUBLISHED)
    held_because = models.CharField(max_length=200, blank=True)
    risk_tier = models.CharField(max_length=10, blank=True)
    hidden_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = WallMessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["author", "client_id"],
                                    name="one_message_per_client_id")
        ]
        indexes = [models.Index(fields=["space", "status", "-created_at"])]

    @property
    def body_safe(self) -> SafeString:
        # body_html is only ever written by the services, from render_markdown's output.
        return mark_safe(self.body_html)  # noqa: S308


class WallEvent(models.Model):
    """Something that happened on a Wall, numbered per space so a reconnecting browser can ask
    for everything after the last number it saw. `only_for` limits an event to one person (their
    own held message)."""

    class Kind(models.TextChoices):
        MESSAGE = "message"
        HIDE = "hide"
        PIN = "pin"
        REACTION = "reaction"
        OPEN = "open"
        CLOSE = "close"
        SLOW_MODE = "slow_mode"

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="wall_events")
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    payload = models.JSONField(default=dict)
    only_for = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["space", "seq"], name="one_event_per_seq")]


class WallReaction(models.Model):
    message = models.ForeignKey(WallMessage, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user", "kind"],
                                               name="one_wall_reaction_per_kind")]


class WallMute(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                           related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
