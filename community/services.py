"""Every write in the core: invitations, joining, keys, roles. Each is one transaction that
checks permission, writes, and records the audit entry where one is due."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from community import live, permissions
from community.identity import validate_display_name
from community.models import (
    INVITABLE_ROLES,
    MODERATING_TEAM_ROLES,
    AuditEntry,
    Invitation,
    Key,
    Notification,
    NotificationSettings,
    Role,
    Space,
    User,
    hash_invitation_code,
)

# 32 bytes from the OS's generator: 256 bits, far beyond guessing.
INVITATION_CODE_BYTES = 32


class InvitationUnusable(Exception):
    """The code is unknown, used, expired or revoked. The message is safe to show."""


def audit_record(
    *, actor: User | None, action: str, target=None, space: Space | None = None, **detail
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        space=space,
        detail=detail,
    )


@transaction.atomic
def invitation_create(
    *,
    created_by: User | None,
    role: str,
    spaces: Iterable[Space],
    expires_at: datetime | None = None,
    therapy_completed: str = "",
    label: str = "",
) -> tuple[Invitation, str]:
    """Create an invitation; returns it with its code, which is shown once and never stored.

    `created_by` None means the console (`manage.py create_invite`), trusted for first set-up.
    """
    spaces = list(spaces)
    if created_by is not None:
        if role not in permissions.invitable_roles(created_by):
            raise PermissionDenied("You cannot issue invitations for that role.")
        reachable = set(Space.objects.visible_to(created_by).values_list("pk", flat=True))
        if any(space.pk not in reachable for space in spaces):
            raise PermissionDenied("You can only invite people into spaces you hold a key to.")
    elif role not in INVITABLE_ROLES:
        raise ValidationError(f"Invitations are for members and carers, not {role!r}.")
    if not spaces:
        raise ValidationError("Choose at least one space the invitation opens.")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError("The expiry must be in the future.")
    code = secrets.token_urlsafe(INVITATION_CODE_BYTES)
    invitation = Invitation(
        code_hash=hash_invitation_code(code),
        role=role,
        therapy_completed=therapy_completed,
        label=label,
        created_by=created_by,
    )
    if expires_at is not None:
        invitation.expires_at = expires_at
    invitation.save()
    invitation.spaces.set(spaces)
    audit_record(
        actor=created_by, action="invitation.create", target=invitation, role=role,
        spaces=[space.slug for space in spaces],
    )
    return invitation, code


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, revoked_by: User) -> Invitation:
    if not permissions.can_revoke_invitation(revoked_by, invitation):
        raise PermissionDenied("You cannot revoke this invitation.")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(f"This invitation is already {invitation.status_label.lower()}.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(actor=revoked_by, action="invitation.revoke", target=invitation)
    return invitation


def invitation_for_code(code: str) -> Invitation:
    """The usable invitation for a code, or InvitationUnusable saying why not."""
    invitation = Invitation.objects.filter(code_hash=hash_invitation_code(code or "")).first()
    if invitation is None:
        raise InvitationUnusable(
            "We don't recognise that code. Check it against the link your therapist gave you."
        )
    messages = {
        Invitation.Status.USED: "This invitation has already been used. If that wasn't you, "
        "tell your therapist.",
        Invitation.Status.EXPIRED: "This invitation has expired. Ask your therapist for a new one.",
        Invitation.Status.REVOKED: "This invitation was withdrawn. Ask your therapist for a new "
        "one.",
    }
    if invitation.status in messages:
        raise InvitationUnusable(messages[invitation.status])
    return invitation


JOIN_CONFIRM_SALT = "harbour.join.confirm"
JOIN_CONFIRM_MAX_AGE = 60 * 60 * 24 * 3


def user_join(
    *,
    code: str,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    display_name: str,
    avatar: str,
    site_url: str,
) -> User | None:
    """Create the account an invitation was for (inactive until its email is confirmed), give
    it its keys, and use up the invitation. Returns the new account, or None when the email
    address already has one: then that account's owner is emailed instead, and the person
    joining sees exactly what they would otherwise see, so nobody can test whose email address
    is registered.

    Either everything happens or nothing does: a failure leaves the code usable.
    """
    with transaction.atomic():
        invitation = invitation_for_code(code)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != Invitation.Status.PENDING:
            raise InvitationUnusable("This invitation has already been used.")
        display_name = validate_display_name(
            display_name, first_name=first_name, last_name=last_name
        )
        user = User(
            email=User.objects.normalize_email(email).lower(),
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            display_name=display_name,
            avatar=avatar,
            role=invitation.role,
            therapy_completed=invitation.therapy_completed,
            agreed_to_rules_at=timezone.now(),
        )
        if User.objects.filter(display_name__iexact=display_name).exists():
            raise ValidationError({"display_name": "That display name is taken. Try another."})
        validate_password(password, user)
        user.set_password(password)
        user.is_active = False
        existing = User.objects.filter(email__iexact=user.email).first()
        invitation.used_at = timezone.now()
        if existing is not None:
            invitation.save(update_fields=["used_at"])
            audit_record(actor=None, action="user.join_existing_email", target=invitation)
            transaction.on_commit(lambda: _email_existing_account(existing, site_url))
            return None
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as error:  # the same address, joined a moment ago
            raise ValidationError("Something went wrong. Please try again.") from error
        Key.objects.bulk_create(
            Key(user=user, space=space, granted_by=invitation.created_by)
            for space in invitation.spaces.all()
        )
        invitation.used_by = user
        invitation.save(update_fields=["used_at", "used_by"])
        audit_record(actor=user, action="user.join", target=invitation, role=user.role)
        link = site_url.rstrip("/") + reverse(
            "join_confirm",
            kwargs={"token": signing.dumps(user.pk, salt=JOIN_CONFIRM_SALT, compress=True)},
        )
        transaction.on_commit(lambda: _email_confirmation(user, link))
    return user


def _email_confirmation(user: User, link: str) -> None:
    send_mail(
        subject=f"Confirm your email to finish joining {settings.SITE_NAME}",
        message=(f"Hello {user.display_name},\n\nTo finish joining {settings.SITE_NAME}, open "
                 f"this link (it works for 3 days):\n\n{link}\n\nIf you didn't ask to join, "
                 "you can ignore this email."),
        from_email=None, recipient_list=[user.email],
    )


def _email_existing_account(user: User, site_url: str) -> None:
    send_mail(
        subject=f"You already have a {settings.SITE_NAME} account",
        message=(f"Hello {user.display_name},\n\nSomeone used an invitation to join "
                 f"{settings.SITE_NAME} with this email address, which already has an account. "
                 f"If it was you, sign in at {site_url.rstrip('/')}{reverse('login')}, or reset "
                 f"your password at {site_url.rstrip('/')}{reverse('password_reset')}.\n\n"
                 "If it wasn't you, you don't need to do anything."),
        from_email=None, recipient_list=[user.email],
    )


@transaction.atomic
def user_confirm_email(*, token: str) -> User:
    """Activate the account a confirmation link was sent for."""
    try:
        pk = signing.loads(token, salt=JOIN_CONFIRM_SALT, max_age=JOIN_CONFIRM_MAX_AGE)
    except signing.BadSignature as error:
        raise ValidationError("This link has expired or is not right. If you joined more than "
                              "3 days ago, ask your therapist for a new invitation.") from error
    user = User.objects.select_for_update().filter(pk=pk).first()
    if user is None or user.is_active:
        raise ValidationError("This link has already been used. Sign in instead.")
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(actor=user, action="user.confirm_email", target=user)
    return user


@transaction.atomic
def key_grant(*, space: Space, user: User, granted_by: User, moderates: bool = False) -> Key:
    if not permissions.can_manage_keys(granted_by, space):
        raise PermissionDenied("You cannot give keys to this space.")
    if moderates and not permissions.can_assign_moderators(granted_by):
        raise PermissionDenied("Only admins assign the moderating team.")
    if moderates and not permissions.is_moderating_team(user):
        raise ValidationError(f"{user.display_name} is not on the moderating team.")
    key, created = Key.objects.get_or_create(
        user=user, space=space, defaults={"granted_by": granted_by, "moderates": moderates}
    )
    if not created:
        if not moderates or key.moderates:
            return key  # already holds the key; giving it again never takes moderation away
        key.moderates = True
        key.save(update_fields=["moderates"])
    permissions.forget_keys(user)
    audit_record(
        actor=granted_by, action="key.grant", target=user, space=space, moderates=key.moderates
    )
    return key


@transaction.atomic
def key_revoke(*, space: Space, user: User, revoked_by: User) -> None:
    if not permissions.can_manage_keys(revoked_by, space):
        raise PermissionDenied("You cannot take keys to this space.")
    key = Key.objects.filter(space=space, user=user).first()
    if key is None:
        return
    if key.moderates and not permissions.can_assign_moderators(revoked_by):
        raise PermissionDenied("Only admins change the moderating team.")
    key.delete()
    permissions.forget_keys(user)
    live.disconnect_user(user.pk, "key_revoked")
    audit_record(actor=revoked_by, action="key.revoke", target=user, space=space)


@transaction.atomic
def user_set_role(*, user: User, role: str, changed_by: User | None) -> User:
    """Change a person's role; admins get the admin site. `changed_by` None means the console."""
    if changed_by is not None and not permissions.is_admin(changed_by):
        raise PermissionDenied("Only admins change roles.")
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}.")
    previous = user.role
    user.role = role
    user.is_staff = role == Role.ADMIN
    user.is_superuser = role == Role.ADMIN
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    if role not in MODERATING_TEAM_ROLES:
        Key.objects.filter(user=user, moderates=True).update(moderates=False)
        permissions.forget_keys(user)
    # Open sockets were authorised under the old role: they reconnect under the new one.
    live.disconnect_user(user.pk, "role_changed")
    audit_record(
        actor=changed_by, action="user.set_role", target=user, previous=previous, role=role
    )
    return user


def notification_settings_for(user: User) -> NotificationSettings:
    return NotificationSettings.objects.filter(user=user).first() or NotificationSettings(user=user)


def notification_send(
    *,
    recipient: User,
    kind: str,
    title: str,
    url: str = "",
    actor: User | None = None,
    space: Space | None = None,
    target=None,
    message: str = "",
) -> Notification | None:
    """Tell someone about something, if they want to hear of it. An email, when they chose
    email, goes only after the surrounding transaction commits and says nothing of the content."""
    preferences = notification_settings_for(recipient)
    if not recipient.is_active or not preferences.wants(kind):
        return None
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, actor=actor, title=title[:200], url=url, message=message,
        space=space,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=target.pk if target is not None else None,
    )
    on_break = recipient_on_break(recipient)
    if preferences.email and not on_break:
        transaction.on_commit(lambda: _email_notification(recipient))
    return notification


def notifications_send_many(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    url: str = "",
    actor: User | None = None,
    space: Space | None = None,
    target=None,
) -> list[Notification]:
    """notification_send for many people at once (a thread's followers), in a fixed number of
    queries however many there are: one per recipient made a reply to a busy thread slow."""
    from community.models import Break

    recipients = [person for person in recipients if person.is_active]
    preferences = {
        item.user_id: item
        for item in NotificationSettings.objects.filter(user__in=recipients)
    }
    wanting = [person for person in recipients
               if preferences.get(person.pk, NotificationSettings(user=person)).wants(kind)]
    if not wanting:
        return []
    on_break = set(Break.objects.filter(user__in=wanting, until__gt=timezone.now())
                   .values_list("user_id", flat=True))
    notifications = Notification.objects.bulk_create([
        Notification(
            recipient=person, kind=kind, actor=actor, title=title[:200], url=url, space=space,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=target.pk if target is not None else None,
        )
        for person in wanting
    ])
    for person in wanting:
        chosen = preferences.get(person.pk)
        if chosen is not None and chosen.email and person.pk not in on_break:
            transaction.on_commit(lambda person=person: _email_notification(person))
    return notifications


def recipient_on_break(user: User) -> bool:
    from community.models import Break

    return Break.objects.filter(user=user, until__gt=timezone.now()).exists()


def _email_notification(recipient: User) -> None:
    send_mail(
        subject=f"Something new for you on {settings.SITE_NAME}",
        message=(
            f"Hello {recipient.display_name},\n\nThere is something new for you on "
            f"{settings.SITE_NAME}. Sign in to read it.\n\nYou can turn these emails off in "
            "your notification settings."
        ),
        from_email=None,
        recipient_list=[recipient.email],
        fail_silently=True,
    )


def notifications_withdraw(*, targets) -> int:
    """Remove notifications about content nobody but its author may now see."""
    targets = list(targets)
    if not targets:
        return 0
    deleted, _ = Notification.objects.filter(
        target_type=targets[0]._meta.label_lower, target_id__in=[t.pk for t in targets]
    ).delete()
    return deleted


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_settings_update(*, user: User, **choices: bool) -> NotificationSettings:
    preferences, _ = NotificationSettings.objects.get_or_create(user=user)
    for name, value in choices.items():
        if name not in {"replies", "quotes", "mentions", "email"}:
            raise ValueError(f"Unknown notification setting {name!r}")
        setattr(preferences, name, bool(value))
    preferences.save()
    return preferences


def two_factor_device_for_setup(*, user: User):
    """The person's unconfirmed authenticator, made on first visit (a confirmed one is kept)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app",
                                               confirmed=False)


@transaction.atomic
def two_factor_confirm(*, request, device, token: str) -> bool:
    import django_otp

    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    django_otp.login(request, device)
    audit_record(actor=request.user, action="two_factor.enable", target=request.user)
    return True


def two_factor_verify(*, request, token: str) -> bool:
    import django_otp

    device = django_otp.match_token(request.user, token)
    if device is None:
        return False
    django_otp.login(request, device)
    return True
