"""Core data: people and their roles, spaces and keys, invitations, urgent help, the audit log."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from community.avatars import AVATAR_CHOICES, DEFAULT_AVATAR


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    CARER = "carer", "Carer"
    PEER_SUPPORTER = "peer_supporter", "Peer supporter"
    VOLUNTEER = "volunteer", "Volunteer"
    CLINICIAN = "clinician", "Clinician"
    ADMIN = "admin", "Admin"


MODERATING_TEAM_ROLES = frozenset({Role.PEER_SUPPORTER, Role.VOLUNTEER, Role.CLINICIAN, Role.ADMIN})
INVITABLE_ROLES = (Role.MEMBER, Role.CARER)


class Therapy(models.TextChoices):
    DIT = "dit", "Dynamic Interpersonal Therapy (DIT)"
    IPT = "ipt", "Interpersonal Therapy (IPT)"
    CBT = "cbt", "Cognitive Behavioural Therapy (CBT)"
    COUNSELLING = "counselling", "Counselling"
    OTHER = "other", "Another talking therapy"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An email address is needed to sign in.")
        fields.setdefault("display_name", email.split("@")[0])
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(role=Role.ADMIN, is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Others only ever see display_name and avatar."""

    email = models.EmailField("email address", unique=True, help_text="Private: used to sign in.")
    first_name = models.CharField(max_length=150, blank=True, help_text="Private.")
    last_name = models.CharField(max_length=150, blank=True, help_text="Private.")
    display_name = models.CharField(max_length=30)
    avatar = models.CharField(max_length=30, choices=AVATAR_CHOICES, default=DEFAULT_AVATAR)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    therapy_completed = models.CharField(max_length=20, choices=Therapy.choices, blank=True)
    agreed_to_rules_at = models.DateTimeField(null=True, blank=True)
    quiet_reading = models.BooleanField(
        default=False, help_text="Browse without appearing on the Wall's list of who is here.")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can use the admin site.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("display_name"), name="unique_display_name_ci",
                violation_error_message="That display name is taken.",
            ),
            models.UniqueConstraint(Lower("email"), name="unique_email_ci"),
        ]

    def __str__(self):
        return self.display_name

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.display_name

    @property
    def avatar_static_path(self) -> str:
        return f"community/avatars/{self.avatar}.svg"


class SpaceQuerySet(models.QuerySet):
    def visible_to(self, user) -> SpaceQuerySet:
        """Spaces this person holds a key to. Admins hold every key."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.ADMIN:
            return self.all()
        return self.filter(keys__user=user)


class Space(models.Model):
    """A room of the network. Without a key it does not exist for you."""

    class Audience(models.TextChoices):
        MEMBERS = "members", "Members"
        CARERS = "carers", "Relatives and carers"
        MIXED = "mixed", "Members, relatives and carers"

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.MEMBERS)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SpaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Key(models.Model):
    """A person's access to a space; `moderates` marks a moderating-team assignment."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="keys"
    )
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="keys")
    moderates = models.BooleanField(default=False)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "space"], name="one_key_per_space")]

    def __str__(self):
        return f"{self.user} → {self.space}"


def hash_invitation_code(code: str) -> str:
    """Invitations store only a digest of their code, so a leaked table opens no doors."""
    return hashlib.sha256(code.strip().encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)

    def issued_by(self, user):
        if user.role == Role.ADMIN:
            return self.all()
        return self.filter(created_by=user)


def default_invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_DEFAULT_DAYS)


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        USED = "used", "Used"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    role = models.CharField(
        max_length=20, choices=[(r.value, r.label) for r in INVITABLE_ROLES], default=Role.MEMBER
    )
    spaces = models.ManyToManyField(Space, related_name="invitations")
    therapy_completed = models.CharField(max_length=20, choices=Therapy.choices, blank=True)
    label = models.CharField(
        max_length=60, blank=True,
        help_text="Only you see this: something to recognise it by, such as initials.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="invitations_issued", help_text="Empty when issued from the console.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="joined_with",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation {self.pk} ({self.get_role_display()}, {self.status})"

    @property
    def status(self) -> str:
        if self.used_at:
            return self.Status.USED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    @property
    def status_label(self) -> str:
        return self.Status(self.status).label


class CrisisContactQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(is_listed=True).order_by("position", "name")

    def needing_verification(self, now=None):
        now = now or timezone.now()
        return self.filter(last_verified__lt=(now - CrisisContact.VERIFY_EVERY).date())


class CrisisContact(models.Model):
    """A way to get urgent help, kept as data so staff can keep it right."""

    VERIFY_EVERY = timedelta(days=183)

    name = models.CharField(max_length=120)
    when_to_use = models.TextField(help_text="Who this is for and when to use it.")
    phone = models.CharField(max_length=30, blank=True)
    text_number = models.CharField(max_length=30, blank=True)
    text_message = models.CharField(
        max_length=30, blank=True, help_text="What to text, if the service asks for a word."
    )
    website = models.URLField(blank=True)
    hours = models.CharField(max_length=120, help_text="For example: 24 hours, every day.")
    last_verified = models.DateField(help_text="When someone last checked these details.")
    position = models.PositiveSmallIntegerField(default=100)
    is_listed = models.BooleanField(default=True)

    objects = CrisisContactQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(text_number="") | ~Q(website=""),
                name="crisis_contact_reachable",
                violation_error_message="Give at least a phone number, a text number or a website.",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def needs_verification(self) -> bool:
        return self.last_verified < (timezone.now() - self.VERIFY_EVERY).date()

    @property
    def phone_uri(self) -> str:
        return "tel:" + "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")

    @property
    def text_uri(self) -> str:
        number = "".join(ch for ch in self.text_number if ch.isdigit() or ch == "+")
        return f"sms:{number}" + (f"?body={self.text_message}" if self.text_message else "")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit log is append-only.")

    def delete(self):
        raise TypeError("The audit log is append-only.")


class AuditEntry(models.Model):
    """One moderation action or change of role or key. Rows are never changed or removed.

    The database refuses UPDATE and DELETE on this table (triggers in the migration).
    `detail` holds identifiers and reasons, never what a member wrote.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+",
    )
    action = models.CharField(max_length=60)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    space = models.ForeignKey(
        Space, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+",
    )
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log is append-only.")


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The person's notifications, minus those about spaces they no longer hold a key to.
        Content apps withdraw notifications about content that is hidden or removed."""
        return self.filter(recipient=user).filter(
            Q(space__isnull=True) | Q(space__in=Space.objects.visible_to(user))
        )


class Notification(models.Model):
    """Something that happened for this person. Titles never quote what anyone wrote."""

    class Kind(models.TextChoices):
        REPLY = "reply", "Replies to threads I follow"
        QUOTE = "quote", "Someone quotes me"
        MENTION = "mention", "Someone mentions me"
        MODERATOR = "moderator", "Messages from the moderating team"
        ALERT = "alert", "Urgent review alerts (moderating team)"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    message = models.TextField(blank=True, help_text="For moderator messages: the reason given.")
    url = models.CharField(max_length=300, blank=True)
    space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.CASCADE)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]

    def __str__(self):
        return self.title


class NotificationSettings(models.Model):
    """What a person wants to be told about. Moderator messages always arrive in the app."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    replies = models.BooleanField("Replies to threads I follow", default=True)
    quotes = models.BooleanField("When someone quotes me", default=True)
    mentions = models.BooleanField("When someone mentions me", default=True)
    email = models.BooleanField(
        "Also tell me by email", default=False,
        help_text="The email says only that something is waiting, never what was written.",
    )

    def wants(self, kind: str) -> bool:
        return {
            Notification.Kind.REPLY: self.replies,
            Notification.Kind.QUOTE: self.quotes,
            Notification.Kind.MENTION: self.mentions,
            Notification.Kind.MODERATOR: True,
            Notification.Kind.ALERT: True,
        }[kind]


class Topic(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ResourceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Published resources for this person's audience: everyone signed in; carers' ones for
        carers and the moderating team; space ones for those holding a key to a space."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        published = self.filter(status=Resource.Status.PUBLISHED)
        if user.role == Role.ADMIN:
            return published
        audiences = Q(audience=Resource.Audience.EVERYONE)
        if user.role in MODERATING_TEAM_ROLES or user.role == Role.CARER:
            audiences |= Q(audience=Resource.Audience.CARERS)
        audiences |= Q(audience=Resource.Audience.SPACES, spaces__keys__user=user)
        return published.filter(audiences).distinct()


class Resource(models.Model):
    """An article, a video or a link in the library."""

    class Kind(models.TextChoices):
        ARTICLE = "article", "Article or blog post"
        VIDEO = "video", "Video"
        LINK = "link", "Link to another site"

    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Everyone signed in"
        CARERS = "carers", "Relatives and carers"
        SPACES = "spaces", "Specific spaces"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=150)
    summary = models.CharField(max_length=300)
    body = models.TextField(blank=True, help_text="Markdown: the article, or a video's transcript.")
    body_html = models.TextField(blank=True, editable=False)
    url = models.URLField(blank=True, help_text="The page linked to, or the video to embed "
                          "(YouTube or Vimeo).")
    embed_url = models.URLField(blank=True, editable=False)
    video_file = models.FileField(upload_to="library/videos/", blank=True,
                                  help_text="An MP4 or WebM file, instead of an embed.")
    video_type = models.CharField(max_length=20, blank=True, editable=False)
    captions_file = models.FileField(upload_to="library/captions/", blank=True,
                                     help_text="WebVTT captions for an uploaded video.")
    minutes = models.PositiveSmallIntegerField(default=1, help_text="Reading or watching time.")
    audience = models.CharField(max_length=10, choices=Audience.choices,
                                default=Audience.EVERYONE)
    spaces = models.ManyToManyField(Space, blank=True, related_name="resources")
    topics = models.ManyToManyField(Topic, blank=True, related_name="resources")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="resources")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    is_story = models.BooleanField(default=False, help_text="A member's own recovery story.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, help_text="What the reviewer asked to change.")

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def body_safe(self):
        from django.utils.safestring import mark_safe

        # body_html is only ever written by the library services, from render_markdown.
        return mark_safe(self.body_html)  # noqa: S308


class ResourceFeedback(models.Model):
    """"Was this helpful?", once per person per resource."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resource", "user"],
                                               name="one_feedback_per_resource")]


class SavedResource(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="saves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="saved_resources")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["resource", "user"],
                                               name="one_save_per_resource")]


class SafetyPlan(models.Model):
    """A member's safety plan (the Stanley-Brown structure). Private unless they share it with
    the moderating team of their spaces; they can stop sharing at any time."""

    SECTIONS = [
        ("warning_signs", "Warning signs that a crisis may be developing"),
        ("coping_alone", "Things I can do on my own to take my mind off problems"),
        ("distractions", "People and places that take my mind off things"),
        ("people_to_ask", "People I can ask for help"),
        ("professionals", "Professionals and services I can contact"),
        ("safer_surroundings", "Making my surroundings safer"),
        ("reasons_for_living", "My reasons for living"),
    ]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="safety_plan")
    warning_signs = models.TextField(blank=True, max_length=4000)
    coping_alone = models.TextField(blank=True, max_length=4000)
    distractions = models.TextField(blank=True, max_length=4000)
    people_to_ask = models.TextField(blank=True, max_length=4000)
    professionals = models.TextField(blank=True, max_length=4000)
    safer_surroundings = models.TextField(blank=True, max_length=4000)
    reasons_for_living = models.TextField(blank=True, max_length=4000)
    shared_with_team = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    def sections(self) -> list[tuple[str, str]]:
        """(heading, text) for every section written so far."""
        return [(label, getattr(self, name)) for name, label in self.SECTIONS
                if getattr(self, name).strip()]


class StayingWellPlan(models.Model):
    """What a member took away from therapy, in sections that fit the therapy they had."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="staying_well_plan")
    sections = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)


class Break(models.Model):
    """Take a break: notifications and activity badges pause until `until`."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="break_until")
    until = models.DateTimeField()


class UserSession(models.Model):
    """A signed-in session, so a person can see where they are signed in and end the others."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    device = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
