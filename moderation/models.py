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


class WeeklyOpening(models.Model):
    """One opening in a space's weekly schedule, in the site's time zone. A space with none
    uses the default schedule (settings.OFFICE_HOURS_DEFAULT)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="openings")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["space", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=models.F("opens")),
                                   name="opening_closes_after_it_opens"),
        ]

    def __str__(self):
        return f"{self.space}: {self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """Days staff close a space (or every space, when space is empty), with the reason shown."""

    space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="closures")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=200, help_text="Shown to members.")

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="closure_ends_after_it_starts"),
        ]

    def __str__(self):
        return f"{self.starts_on}–{self.ends_on}: {self.reason}"


class DutyShiftQuerySet(models.QuerySet):
    def on_duty(self, now=None):
        now = now or timezone.now()
        return self.filter(ended_at__isnull=True, ends_by__gt=now, started_at__lte=now)


class DutyShift(models.Model):
    """A moderating-team member on duty in a space. A shift ends when they clock off, and at the
    latest when the office hours it started in end (`ends_by`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="duty_shifts")
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="duty_shifts")
    started_at = models.DateTimeField(default=timezone.now)
    ends_by = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = DutyShiftQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]


class RiskPhrase(models.Model):
    class Tier(models.TextChoices):
        HIGH = "high", "High: intent, plans or means of suicide or serious self-harm"
        MEDIUM = "medium", "Medium: hopelessness, self-harm mentioned"

    phrase = models.CharField(max_length=100, unique=True)
    tier = models.CharField(max_length=10, choices=Tier.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["tier", "phrase"]

    def __str__(self):
        return f"{self.phrase} ({self.tier})"
