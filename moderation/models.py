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
        return self.filter(starts_at__lte=now, lifted_at__isnull=True).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )


class Suspension(models.Model):
    """A member may not post (in one space, or anywhere when space is empty) until ends_at
    (never, when empty). Lifting sets lifted_at; rows are kept as the member's history."""

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
    pending_review = models.BooleanField(
        default=False, help_text="Set automatically out of hours; a moderator confirms or lifts."
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
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


class ReviewItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def for_moderator(self, user):
        """Items in the spaces this person moderates (admins: all)."""
        from community import permissions as core

        if core.is_admin(user):
            return self
        return self.filter(space__keys__user=user, space__keys__moderates=True)


class ReviewItem(models.Model):
    """Something waiting for the moderating team. One open item per piece of content and kind."""

    class Kind(models.TextChoices):
        HELD = "held", "Held for review"
        RISK = "risk", "Risk check match"
        REPORT = "report", "Reported"
        FIRST_POSTS = "first_posts", "New member's first post"
        MEMBER = "member", "Member reported or paused"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    tier = models.CharField(max_length=10, blank=True, help_text="Risk tier: high, medium or none.")
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="review_items")
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="review_items_about", help_text="The member this is about.",
    )
    summary = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    claimed_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=40, blank=True)

    objects = ReviewItemQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_type", "target_id"], condition=Q(resolved_at__isnull=True),
                name="one_open_review_per_target_and_kind",
            )
        ]
        indexes = [models.Index(fields=["space", "resolved_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.resolved_at is None and self.due_at <= timezone.now()


class Report(models.Model):
    class Reason(models.TextChoices):
        UNSAFE = "unsafe", "Upsetting or unsafe content"
        AT_RISK = "at_risk", "Someone may be at risk"
        PERSONAL = "personal", "Personal information shared"
        ABUSIVE = "abusive", "Unkind or abusive"
        SPAM = "spam", "Spam"
        OTHER = "other", "Something else"

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="reports_made")
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    # Empty type and id 0 when the report is about the member rather than something they wrote.
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.PositiveBigIntegerField(default=0)
    reported_member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                        related_name="reports_about")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    review_item = models.ForeignKey(ReviewItem, null=True, on_delete=models.SET_NULL,
                                    related_name="reports")
    is_open = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id", "reported_member"],
                condition=Q(is_open=True), name="one_open_report_per_reporter_and_item",
            )
        ]


class Warning(models.Model):
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="warnings")
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)


class MemberNote(models.Model):
    """A note about a member, for the moderating team only."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="team_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]


class Escalation(models.Model):
    """A safeguarding record for a high-tier item: what was seen, what was done, by whom."""

    review_item = models.ForeignKey(ReviewItem, null=True, on_delete=models.SET_NULL,
                                    related_name="escalations")
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="escalations_about")
    what_was_seen = models.TextField(max_length=2000)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]


class EscalationStep(models.Model):
    class Action(models.TextChoices):
        MESSAGED_MEMBER = "messaged_member", "Messaged the member"
        INFORMED_CLINICIAN = "informed_clinician", "Informed their clinician"
        EMERGENCY_SERVICES = "emergency_services", "Contacted emergency services"
        NOTE = "note", "Added a note"
        CLOSED = "closed", "Closed the escalation"

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=30, choices=Action.choices)
    note = models.TextField(blank=True, max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
