"""Delete my account: personal data, plans, keys and sessions go at once. Posts and Wall
messages stay with the author shown as a former member, unless the person also chooses to delete
their text; replies by others stay intact. Safeguarding records are kept as docs/privacy.md says.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.hashers import check_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction

from community import live
from community import services as core_services
from community.avatars import DEFAULT_AVATAR
from community.models import (
    Break,
    Key,
    Notification,
    NotificationSettings,
    ResourceFeedback,
    SafetyPlan,
    SavedResource,
    StayingWellPlan,
    User,
    UserSession,
)

Eraser = Callable[[User, bool], None]
_erasers: list[Eraser] = []


def register(eraser: Eraser) -> None:
    """Content apps register `eraser(user, delete_text)` to remove what they hold."""
    if eraser not in _erasers:
        _erasers.append(eraser)


@transaction.atomic
def account_erase(*, user: User, password: str, delete_text: bool) -> None:
    if not password or not check_password(password, user.password):
        raise ValidationError({"password": "That password isn't right."})
    for eraser in _erasers:
        eraser(user, delete_text)
    # Others' notifications about what this person did keep their meaning, not the name.
    for notification in Notification.objects.filter(actor=user):
        notification.title = notification.title.replace(user.display_name, "A former member")
        notification.save(update_fields=["title"])
    for model in (SafetyPlan, StayingWellPlan, Break, NotificationSettings, SavedResource,
                  ResourceFeedback, Key):
        model.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    for sign_in_record in (AccessAttempt, AccessFailureLog, AccessLog):  # they name the email
        sign_in_record.objects.filter(username__iexact=user.email).delete()
    user.email = f"former-member-{user.pk}@invalid.invalid"
    user.first_name = user.last_name = ""
    user.display_name = f"Former member {user.pk}"
    user.avatar = DEFAULT_AVATAR
    user.therapy_completed = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    core_services.audit_record(actor=None, action="user.erase", target=user,
                               text_deleted=delete_text)
    live.disconnect_user(user.pk, "account_deleted")
