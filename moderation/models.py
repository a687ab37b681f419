"""Moderation data. Sanctions start here; reports, the review queue and office hours follow."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from community.models import Space


class ContentStatus(models.TextChoices):
    """The status every moderatable item carries."""

    PUBLISHED = "published", "Published"
    HELD = "held", "Waiting for a moderator"
    HIDDEN = "hidden", "Hidden by a moderator"
    REMOVED = "removed", "Removed by the author"


class SuspensionQuerySet(models.QuerySet):
    def in_force(self, now=None):
        now = now or timezone.now()
        return self.filter(starts_at__lte=now).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))


class Suspension(models.Model):
    """A member may not post (in one space, or anywhere when space is empty) until ends_at."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions"
    )
    space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.CASCADE)
    reason = models.TextField()
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SuspensionQuerySet.as_manager()
