"""Every write on the Wall. Each numbers its event under the space's lock and broadcasts it only
after the transaction commits, so nothing reaches a screen before it is saved."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from community import permissions as core
from community import services as core_services
from community.live import group_send_after_commit
from community.markup import render_markdown
from community.models import Notification, Space, User
from community.ratelimit import attempt_record, attempts_exceeded
from community.reactions import ReactionKind
from moderation import permissions as moderation_permissions
from moderation import services as moderation_services
from moderation.models import ContentStatus
from moderation.office_hours import office_hours
from moderation.screening import screen
from wall import permissions
from wall.events import event_message, message_payload, wall_group
from wall.models import MESSAGE_MAX, WallEvent, WallMessage, WallMute, WallReaction, WallState

MESSAGE_KEY = "wall.message"
REACTIONS_PER_MINUTE = 60
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class Refused(Exception):
    """Not allowed now; the message says why, for the person who tried."""


def _locked_state(space: Space) -> WallState:
    # get(), not first(): every post takes this lock, and first() would have Django build an
    # ORDER BY for the one row there is (as in _already_posted).
    try:
        return WallState.objects.select_for_update().get(space=space)
    except WallState.DoesNotExist:  # the Wall's first event
        WallState.objects.get_or_create(space=space)
        return WallState.objects.select_for_update().get(space=space)


def _already_posted(author: User, client_id: str) -> WallMessage | None:
    try:
        return WallMessage.objects.get(author=author, client_id=client_id)
    except WallMessage.DoesNotExist:
        return None


def _append_event(space: Space, kind: str, payload: dict, only_for: User | None = None,
                  state: WallState | None = None) -> WallEvent:
    state = state or _locked_state(space)
    state.last_seq += 1
    state.save(update_fields=["last_seq"])
    event = WallEvent.objects.create(space=space, seq=state.last_seq, kind=kind,
                                     payload=payload, only_for=only_for)
    group_send_after_commit(wall_group(space.pk), event_message(event))
    return event


def _check_rate(user: User) -> None:
    if attempts_exceeded(scope="wall_post", who=str(user.pk),
                         limit=settings.WALL_MESSAGES_PER_MINUTE):
        raise Refused("You're posting quickly: please wait a minute before your next message.")


def _count_post(user: User) -> None:
    attempt_record(scope="wall_post", who=str(user.pk), window=timedelta(minutes=1))


def _check_slow_mode(user: User, space: Space, state: WallState) -> None:
    if not state.slow_mode_seconds or permissions.can_moderate(user, space):
        return
    since = timezone.now() - timedelta(seconds=state.slow_mode_seconds)
    if WallMessage.objects.filter(author=user, space=space, created_at__gt=since).exists():
        raise Refused(f"Slow mode is on: one message every {state.slow_mode_seconds} seconds.")


def clean_text(value, *, limit: int, what: str) -> str:
    """Text from a socket or form: a string, storable (no NUL, no lone surrogates), not too long."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{what} must be text.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValidationError(f"{what} contains characters that can't be stored.") from error
    if "\x00" in value:
        raise ValidationError(f"{what} contains characters that can't be stored.")
    value = value.strip()
    if len(value) > limit:
        raise ValidationError(f"{what} can be up to {limit:,} characters: this one has "
                              f"{len(value):,}.")
    return value


def wall_post(*, author: User, space: Space, client_id: str, body: str,
              reply_to_id: int | None = None) -> WallMessage:
    """Post a message; sending the same client_id again returns the first message unchanged."""
    if not isinstance(client_id, str) or not _CLIENT_ID.match(client_id):
        raise ValidationError("Each message needs an id of 8 to 64 letters, digits, - or _.")
    try:
        with transaction.atomic():
            state = _locked_state(space)
            # A resend finds the message it repeats before anything can refuse it: the browser
            # sends again what it saw no acknowledgement for, and a resend racing the first send
            # waits for the lock above.
            existing = _already_posted(author, client_id)
            if existing is not None:
                return existing
            body = clean_text(body, limit=MESSAGE_MAX, what="Messages")
            if not body:
                raise ValidationError("Write something before sending.")
            refusal = permissions.posting_refusal(author, space)
            if refusal:
                raise Refused(refusal)
            _check_slow_mode(author, space, state)
            _check_rate(author)
            return _save_message(author, space, client_id, body, reply_to_id, state)
    except IntegrityError:  # the same resend, racing itself
        existing = _already_posted(author, client_id)
        if existing is None:
            raise
        return existing


def _save_message(author, space, client_id, body, reply_to_id, state) -> WallMessage:
    screening = screen(author=author, space=space, texts=[body])
    reply_to = None
    if reply_to_id is not None:
        reply_to = WallMessage.objects.filter(pk=reply_to_id, space=space,
                                              status=ContentStatus.PUBLISHED).first()
    message = WallMessage.objects.create(
        space=space, author=author, client_id=client_id, body=body,
        body_html=render_markdown(body), reply_to=reply_to, status=screening.status,
        held_because=screening.held_because, risk_tier=screening.tier,
    )
    moderation_services.screening_followup(
        screening=screening, author=author, space=space, target_type=MESSAGE_KEY,
        target_id=message.pk, summary=f"Wall message by {author.display_name}",
    )
    only_for = author if message.status == ContentStatus.HELD else None
    _append_event(space, WallEvent.Kind.MESSAGE, message_payload(message), only_for, state)
    _count_post(author)
    return message


def _lock_message(message: WallMessage, moderator: User | None, doing: str) -> WallMessage:
    message = WallMessage.objects.select_for_update().select_related("space", "author").get(
        pk=message.pk)
    if moderator is not None and not permissions.can_moderate(moderator, message.space):
        raise PermissionDenied(f"Only the moderating team of this space can {doing} messages.")
    return message


@transaction.atomic
def wall_hide(*, message: WallMessage, moderator: User | None, reason: str) -> WallMessage:
    """Hide a message from every screen and tell its author why, privately."""
    message = _lock_message(message, moderator, "hide")
    reason = clean_text(reason, limit=1000, what="The reason")
    if not reason:
        raise ValidationError("Say why: the author will see your reason.")
    if message.status == ContentStatus.HIDDEN:
        return message
    before = message.status
    message.status, message.hidden_reason = ContentStatus.HIDDEN, reason
    message.save(update_fields=["status", "hidden_reason"])
    state = _locked_state(message.space)
    # Whoever resumes later must not receive the text in an old event.
    for event in WallEvent.objects.filter(space=message.space, kind=WallEvent.Kind.MESSAGE,
                                          payload__id=message.pk):
        event.payload = {**event.payload, "body_html": "", "status": ContentStatus.HIDDEN}
        event.save(update_fields=["payload"])
    for event in WallEvent.objects.filter(space=message.space, kind=WallEvent.Kind.PIN,
                                          payload__message__id=message.pk):
        event.payload = {"message": None}
        event.save(update_fields=["payload"])
    _append_event(message.space, WallEvent.Kind.HIDE, {"id": message.pk}, state=state)
    if state.pinned_id == message.pk:
        state.pinned = None
        state.save(update_fields=["pinned"])
        _append_event(message.space, WallEvent.Kind.PIN, {"message": None}, state=state)
    core_services.notification_send(
        recipient=message.author, kind=Notification.Kind.MODERATOR,
        title=f"A moderator hid your message on the {message.space.name} Wall", message=reason,
        url=reverse("notifications"), space=message.space,
    )
    core_services.audit_record(actor=moderator, action="wall_message.hide", target=message,
                               space=message.space, reason=reason, before=before,
                               after=ContentStatus.HIDDEN)
    if moderator is not None:
        moderation_services.review_items_close_for(target_type=MESSAGE_KEY, target_id=message.pk,
                                                   moderator=moderator, resolution="hide")
    return message


@transaction.atomic
def wall_publish(*, message: WallMessage, moderator: User, restoring: bool = False) -> WallMessage:
    """Approve a held message, or restore a hidden one: it appears on every screen."""
    message = _lock_message(message, moderator, "approve")
    wanted = ContentStatus.HIDDEN if restoring else ContentStatus.HELD
    if message.status != wanted:
        return message
    if not moderation_permissions.can_publish(moderator, message.space, message.risk_tier):
        raise PermissionDenied("High-risk messages are published only by a clinician or an admin.")
    message.status, message.held_because, message.hidden_reason = ContentStatus.PUBLISHED, "", ""
    message.save(update_fields=["status", "held_because", "hidden_reason"])
    _append_event(message.space, WallEvent.Kind.MESSAGE, message_payload(message))
    if restoring:
        core_services.notification_send(
            recipient=message.author, kind=Notification.Kind.MODERATOR,
            title=f"A moderator restored your message on the {message.space.name} Wall",
            message="After review, your message is visible again.", space=message.space,
            url=reverse("wall:wall", kwargs={"slug": message.space.slug}),
        )
    core_services.audit_record(actor=moderator,
                               action="wall_message.restore" if restoring else
                               "wall_message.approve", target=message, space=message.space,
                               before=wanted, after=ContentStatus.PUBLISHED)
    moderation_services.review_items_close_for(target_type=MESSAGE_KEY, target_id=message.pk,
                                               moderator=moderator,
                                               resolution="restore" if restoring else "approve")
    return message


@transaction.atomic
def wall_pin(*, space: Space, moderator: User, message: WallMessage | None) -> None:
    if not permissions.can_moderate(moderator, space):
        raise PermissionDenied("Only the moderating team can pin messages.")
    if message is not None and (message.space_id != space.pk
                                or message.status != ContentStatus.PUBLISHED):
        raise ValidationError("Only a published message on this Wall can be pinned.")
    state = _locked_state(space)
    state.pinned = message
    state.save(update_fields=["pinned"])
    payload = {"message": message_payload(message) if message else None}
    _append_event(space, WallEvent.Kind.PIN, payload, state=state)
    core_services.audit_record(actor=moderator, action="wall.pin", space=space,
                               message=message.pk if message else None)


@transaction.atomic
def wall_slow_mode(*, space: Space, moderator: User, seconds: int) -> None:
    if not permissions.can_moderate(moderator, space):
        raise PermissionDenied("Only the moderating team can set slow mode.")
    if not isinstance(seconds, int) or not 0 <= seconds <= 3600:
        raise ValidationError("Slow mode is between 0 (off) and 3,600 seconds.")
    state = _locked_state(space)
    before = state.slow_mode_seconds
    state.slow_mode_seconds = seconds
    state.save(update_fields=["slow_mode_seconds"])
    _append_event(space, WallEvent.Kind.SLOW_MODE, {"seconds": seconds}, state=state)
    core_services.audit_record(actor=moderator, action="wall.slow_mode", space=space,
                               before=before, after=seconds)


@transaction.atomic
def wall_mute(*, space: Space, moderator: User, member: User, minutes: int,
              reason: str = "") -> WallMute:
    if not permissions.can_moderate(moderator, space):
        raise PermissionDenied("Only the moderating team can mute members.")
    if core.is_moderating_team(member):
        raise PermissionDenied("Members of the moderating team can't be muted.")
    if not core.can_enter_space(member, space):
        raise ValidationError("That member has no key to this space.")
    reason = clean_text(reason, limit=300, what="The reason")
    if not isinstance(minutes, int) or not 1 <= minutes <= 7 * 24 * 60:
        raise ValidationError("Mute for between 1 minute and 7 days.")
    mute = WallMute.objects.create(space=space, user=member, by=moderator, reason=reason,
                                   until=timezone.now() + timedelta(minutes=minutes))
    core_services.notification_send(
        recipient=member, kind=Notification.Kind.MODERATOR,
        title=f"Your posting on the {space.name} Wall is paused for {minutes} minutes",
        message=reason or "A moderator paused your posting for a while.", space=space,
        url=reverse("notifications"),
    )
    group_send_after_commit(f"user.{member.pk}", {"type": "wall.muted", "space": space.pk,
                                                  "until": mute.until.isoformat()})
    core_services.audit_record(actor=moderator, action="wall.mute", target=member, space=space,
                               minutes=minutes, reason=reason)
    return mute


@transaction.atomic
def wall_react(*, message: WallMessage, user: User, kind: str) -> bool:
    if kind not in ReactionKind.values:
        raise ValidationError("Unknown reaction.")
    if message.status != ContentStatus.PUBLISHED or not permissions.can_join(user,
                                                                               message.space):
        raise Refused("You can only react to messages you can see.")
    who = str(user.pk)
    if attempts_exceeded(scope="wall_react", who=who, limit=REACTIONS_PER_MINUTE):
        raise Refused("Lots of reactions at once: please wait a moment.")
    attempt_record(scope="wall_react", who=who, window=timedelta(minutes=1))
    state = _locked_state(message.space)  # the count below is the one this event carries
    deleted, _ = WallReaction.objects.filter(message=message, user=user, kind=kind).delete()
    if not deleted:
        WallReaction.objects.get_or_create(message=message, user=user, kind=kind)
    count = WallReaction.objects.filter(message=message, kind=kind).count()
    _append_event(message.space, WallEvent.Kind.REACTION,
                  {"id": message.pk, "kind": kind, "count": count}, state=state)
    return not deleted


def wall_sync_open_state(*, space: Space, now=None, hours=None) -> WallEvent | None:
    """Announce opening or closing once, whichever process notices it first. `hours`: the
    space's office hours at `now`, when the caller has worked them out already."""
    hours = hours or office_hours(space, now)
    # Every socket asks as it connects, and the answer is nearly always "announced already":
    # only a change takes the Wall's lock, which posting waits for.
    if WallState.objects.filter(space=space, last_known_open=hours.is_open).exists():
        return None
    with transaction.atomic():
        state = _locked_state(space)
        if state.last_known_open is hours.is_open:
            return None
        state.last_known_open = hours.is_open
        state.save(update_fields=["last_known_open"])
        kind = WallEvent.Kind.OPEN if hours.is_open else WallEvent.Kind.CLOSE
        changes = hours.changes_at.isoformat() if hours.changes_at else None
        return _append_event(space, kind, {"changes_at": changes}, state=state)


def erase_member(user: User, delete_text: bool) -> None:
    WallReaction.objects.filter(user=user).delete()
    WallMute.objects.filter(user=user).delete()
    if delete_text:
        messages = list(WallMessage.objects.filter(author=user).values_list("pk", flat=True))
        WallMessage.objects.filter(pk__in=messages).update(
            body="", body_html="", status=ContentStatus.REMOVED)
        for event in WallEvent.objects.filter(kind=WallEvent.Kind.MESSAGE,
                                              payload__id__in=messages):
            event.payload = {**event.payload, "body_html": "", "status": ContentStatus.REMOVED}
            event.save(update_fields=["payload"])
    # The author's name in old events becomes the former member's.
    for event in WallEvent.objects.filter(kind=WallEvent.Kind.MESSAGE,
                                          payload__author_id=user.pk):
        event.payload = {**event.payload, "author": f"Former member {user.pk}"}
        event.save(update_fields=["payload"])
