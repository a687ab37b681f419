"""Every write in moderation: duty, reviews, reports, sanctions, escalations, notes."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from community import permissions as core_permissions
from community import services as core_services
from community.models import Notification, Space, User
from moderation import events, permissions, registry, selectors
from moderation.models import (
    DutyShift,
    Escalation,
    EscalationStep,
    MemberNote,
    Report,
    ReviewItem,
    RiskPhrase,
    Suspension,
    Warning,
)
from moderation.office_hours import office_hours
from moderation.risk import TIER_ORDER
from moderation.screening import Screening, screen


@transaction.atomic
def duty_start(*, user: User, space: Space) -> DutyShift:
    """Clock on in a space. The shift ends by itself when office hours end."""
    if not permissions.can_moderate(user, space):
        raise PermissionDenied("Only the moderating team of this space can go on duty here.")
    hours = office_hours(space)
    if not hours.is_open:
        raise ValidationError("The space is outside office hours, so nobody can go on duty.")
    current = DutyShift.objects.on_duty().filter(user=user, space=space).first()
    if current is not None:
        return current
    shift = DutyShift.objects.create(user=user, space=space, ends_by=hours.changes_at)
    core_services.audit_record(actor=user, action="duty.start", target=shift, space=space)
    return shift


@transaction.atomic
def duty_end(*, user: User, space: Space) -> None:
    now = timezone.now()
    for shift in DutyShift.objects.on_duty(now).filter(user=user, space=space):
        shift.ended_at = now
        shift.save(update_fields=["ended_at"])
        core_services.audit_record(actor=user, action="duty.end", target=shift, space=space)


# --- The review queue ---------------------------------------------------------------------------


def _due_at(space: Space, tier: str, kind: str):
    """High tier: within minutes of office hours; everything else within hours."""
    minutes = settings.MODERATION_DUE_MINUTES.get(tier or kind, settings.MODERATION_DUE_MINUTES[
        "default"])
    hours = office_hours(space)
    start = timezone.now() if hours.is_open else (hours.changes_at or timezone.now())
    return start + timedelta(minutes=minutes)


def review_item_open(
    *, kind: str, space: Space, target_type: str = "", target_id: int | None = None,
    member: User | None = None, tier: str = "", summary: str = "",
) -> ReviewItem:
    """Queue an item for the team, or raise the tier of the open one for the same content."""
    existing = ReviewItem.objects.open().filter(
        kind=kind, target_type=target_type, target_id=target_id
    ).first()
    if existing is not None:
        if TIER_ORDER.get(tier, 0) > TIER_ORDER.get(existing.tier, 0):
            existing.tier = tier
            existing.due_at = min(existing.due_at, _due_at(space, tier, kind))
            existing.save(update_fields=["tier", "due_at"])
            events.queue_changed(existing, "updated")
        return existing
    try:
        with transaction.atomic():
            item = ReviewItem.objects.create(
                kind=kind, space=space, target_type=target_type, target_id=target_id,
                member=member, tier=tier, summary=summary[:200],
                due_at=_due_at(space, tier, kind),
            )
    except IntegrityError:  # opened a moment ago by someone else: use theirs
        return ReviewItem.objects.open().get(kind=kind, target_type=target_type,
                                             target_id=target_id)
    events.queue_changed(item, "created")
    return item


def screening_followup(*, screening: Screening, author: User, space: Space, target_type: str,
                       target_id: int, summary: str) -> ReviewItem | None:
    """After content is saved: queue what the team must see, and alert who is on duty."""
    if screening.tier:
        kind = ReviewItem.Kind.RISK
    elif screening.held:
        kind = (ReviewItem.Kind.HELD if screening.asked_for_check
                else ReviewItem.Kind.FIRST_POSTS)
    else:
        return None
    item = review_item_open(kind=kind, space=space, target_type=target_type,
                            target_id=target_id, member=author, tier=screening.tier,
                            summary=summary)
    if screening.tier == RiskPhrase.Tier.HIGH:
        for moderator in selectors.on_duty(space):
            core_services.notification_send(
                recipient=moderator, kind=Notification.Kind.ALERT,
                title=f"High-risk content from {author.display_name} needs review now",
                url=reverse("moderation:item", args=[item.pk]), space=space,
            )
    return item


def _require_moderator(user: User, item: ReviewItem) -> None:
    if not permissions.can_moderate(user, item.space):
        raise PermissionDenied("Only the moderating team of this space can do that.")


@transaction.atomic
def review_item_claim(*, item: ReviewItem, moderator: User) -> ReviewItem:
    item = ReviewItem.objects.select_for_update().get(pk=item.pk)
    _require_moderator(moderator, item)
    if item.resolved_at:
        raise ValidationError("This item has already been dealt with.")
    if item.claimed_by_id and item.claimed_by_id != moderator.pk:
        raise ValidationError(f"{item.claimed_by.display_name} is already working on this.")
    item.claimed_by, item.claimed_at = moderator, timezone.now()
    item.save(update_fields=["claimed_by", "claimed_at"])
    events.queue_changed(item, "claimed")
    return item


@transaction.atomic
def review_item_release(*, item: ReviewItem, moderator: User) -> ReviewItem:
    item = ReviewItem.objects.select_for_update().get(pk=item.pk)
    _require_moderator(moderator, item)
    if item.claimed_by_id == moderator.pk:
        item.claimed_by, item.claimed_at = None, None
        item.save(update_fields=["claimed_by", "claimed_at"])
        events.queue_changed(item, "released")
    return item


def review_items_close_for(*, target_type: str, target_id: int, moderator: User,
                           resolution: str) -> None:
    """The content was dealt with (here or on its own page): its queue items are done."""
    now = timezone.now()
    for item in ReviewItem.objects.open().filter(target_type=target_type, target_id=target_id):
        item.resolved_at, item.resolved_by, item.resolution = now, moderator, resolution
        item.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        events.queue_changed(item, "resolved")
    Report.objects.filter(target_type=target_type, target_id=target_id, is_open=True).update(
        is_open=False
    )


@transaction.atomic
def review_item_resolve(*, item: ReviewItem, moderator: User, action: str,
                        reason: str = "", body: str = "") -> ReviewItem:
    """Deal with a queued item: approve, hide (with a reason), edit (with a note), restore, or
    mark it checked."""
    item = ReviewItem.objects.select_for_update(of=("self",)).select_related("claimed_by").get(
        pk=item.pk
    )
    _require_moderator(moderator, item)
    if item.resolved_at:
        raise ValidationError("This item has already been dealt with.")
    if item.claimed_by_id and item.claimed_by_id != moderator.pk:
        raise ValidationError(f"{item.claimed_by.display_name} is working on this. Ask them, "
                              "or wait until they release it.")
    if action in ("approve", "restore") and not permissions.can_publish(moderator, item.space,
                                                                       item.tier):
        raise PermissionDenied("High-risk content is published only by a clinician or an admin.")
    target = registry.find(item.target_type, item.target_id) if item.target_type else None
    if action in ("approve", "hide", "restore", "edit") and target is None:
        raise ValidationError("The content this item is about no longer exists.")
    before = target.adapter.status(target.item) if target else ""
    if action == "approve":
        target.adapter.approve(target.item, moderator=moderator)
    elif action == "hide":
        if not reason.strip():
            raise ValidationError({"reason": "Say why: the author will see your reason."})
        target.adapter.hide(target.item, moderator=moderator, reason=reason.strip())
    elif action == "restore":
        target.adapter.restore(target.item, moderator=moderator)
    elif action == "edit":
        target.adapter.edit(target.item, moderator=moderator, body=body, note=reason)
    elif action != "checked":
        raise ValidationError("Unknown action.")
    if target is not None:
        review_items_close_for(target_type=item.target_type, target_id=item.target_id,
                     moderator=moderator, resolution=action)
    else:
        item.resolved_at, item.resolved_by, item.resolution = timezone.now(), moderator, action
        item.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        events.queue_changed(item, "resolved")
    after = registry.find(item.target_type, item.target_id) if target else None
    core_services.audit_record(
        actor=moderator, action=f"review.{action}", target=item, space=item.space,
        kind=item.kind, tier=item.tier, content=item.target_type, content_id=item.target_id,
        before=before, after=after.adapter.status(after.item) if after else "",
        reason=reason.strip(),
    )
    item.refresh_from_db()
    return item


# --- Reports ------------------------------------------------------------------------------------


@transaction.atomic
def report_create(*, reporter: User, reason: str, note: str = "", target_type: str = "",
                  target_id: int | None = None, member: User | None = None) -> Report:
    """Report a piece of content (target) or a member. The reported member never learns who."""
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": "Choose a reason."})
    note = (note or "").strip()
    if len(note) > 1000:
        raise ValidationError({"note": "Notes can be up to 1,000 characters."})
    if target_type:
        target = registry.find(target_type, target_id)
        if target is None or not target.adapter.can_view(reporter, target.item):
            raise Http404("No such item.")
        member = target.adapter.author(target.item)
        space = target.adapter.space(target.item)
        summary = f"{target.adapter.label} by {member.display_name}"
    else:
        if member is None or not member.is_active:
            raise Http404("No such member.")
        space = _shared_space(reporter, member)
        target_type, target_id = "", 0
        summary = f"Member {member.display_name}"
    if member.pk == reporter.pk:
        raise ValidationError("You can't report yourself.")
    if Report.objects.filter(reporter=reporter, target_type=target_type, target_id=target_id,
                             reported_member=member, is_open=True).exists():
        raise ValidationError("You have already reported this. A moderator will look at it.")
    screening = screen(author=reporter, space=space, texts=[note])
    tier = RiskPhrase.Tier.HIGH if reason == Report.Reason.AT_RISK else screening.tier
    item = review_item_open(
        kind=ReviewItem.Kind.REPORT if target_type else ReviewItem.Kind.MEMBER, space=space,
        target_type=target_type or "community.user", target_id=target_id or member.pk,
        member=member, tier=tier, summary=summary,
    )
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter, space=space, target_type=target_type, target_id=target_id,
                reported_member=member, reason=reason, note=note, review_item=item,
            )
    except IntegrityError as error:  # a double submit
        raise ValidationError("You have already reported this. A moderator will look at it.") \
            from error
    core_services.audit_record(actor=reporter, action="report.create", target=report,
                               space=space, reason=reason, content=target_type,
                               content_id=target_id)
    if selectors.is_out_of_hours_mode(space):
        _apply_out_of_hours_thresholds(report, space)
    return report


def shares_a_space(user: User, member: User) -> bool:
    """Whether the two hold a key to a common space (admins: any space the member holds)."""
    from community.permissions import keys_of

    member_spaces = set(member.keys.values_list("space_id", flat=True))
    if core_permissions.is_admin(user):
        return bool(member_spaces)
    return bool(set(keys_of(user)) & member_spaces)


def _shared_space(reporter: User, member: User) -> Space:
    from community.permissions import keys_of

    shared = set(keys_of(reporter)) & set(
        member.keys.values_list("space_id", flat=True)
    )
    if not shared and not core_permissions.is_admin(reporter):
        raise Http404("No such member.")
    space_id = min(shared) if shared else member.keys.values_list("space_id", flat=True).first()
    if space_id is None:
        raise Http404("No such member.")
    return Space.objects.get(pk=space_id)


def _apply_out_of_hours_thresholds(report: Report, space: Space) -> None:
    """Nobody on duty: enough reports hide an item, or pause a member, pending review."""
    if report.target_type:
        open_reports = Report.objects.filter(target_type=report.target_type,
                                             target_id=report.target_id, is_open=True)
        if open_reports.count() >= settings.MODERATION_REPORTS_TO_HIDE:
            target = registry.find(report.target_type, report.target_id)
            if target is not None and target.adapter.status(target.item) == "published":
                target.adapter.hide(
                    target.item, moderator=None,
                    reason="Several members reported this while no moderator was on duty, so "
                    "it is hidden until a moderator reviews it. You'll hear when they have.",
                )
                core_services.audit_record(actor=None, action="report.auto_hide",
                                           target=report, space=space,
                                           content=report.target_type,
                                           content_id=report.target_id)
    member = report.reported_member
    if core_permissions.is_moderating_team(member):
        return  # the team is never paused automatically; admins look at reports about them
    since = timezone.now() - timedelta(hours=24)
    last_lift = Suspension.objects.filter(user=member, lifted_at__isnull=False).order_by(
        "-lifted_at").values_list("lifted_at", flat=True).first()
    if last_lift and last_lift > since:
        since = last_lift
    recent = Report.objects.filter(reported_member=member, created_at__gte=since,
                                   is_open=True).exclude(target_type="")
    reported_items = recent.values("target_type", "target_id").distinct().count()
    reporters = recent.values("reporter").distinct().count()
    if (reported_items >= settings.MODERATION_REPORTED_ITEMS_TO_SUSPEND and reporters >= 2
            and not Suspension.objects.in_force().filter(user=member).exists()):
        suspension = Suspension.objects.create(
            user=member, pending_review=True, created_by=None,
            reason="Paused automatically after several reports while no moderator was on duty. "
            "A moderator will review this and either lift it or confirm it.",
        )
        review_item_open(kind=ReviewItem.Kind.MEMBER, space=space, target_type="community.user",
                         target_id=member.pk, member=member, tier=RiskPhrase.Tier.MEDIUM,
                         summary=f"{member.display_name} paused pending review")
        _tell_member_of_suspension(suspension)
        core_services.audit_record(actor=None, action="sanction.auto_suspend",
                                   target=member, space=space)


# --- Sanctions ----------------------------------------------------------------------------------


def _tell_member_of_suspension(suspension: Suspension) -> None:
    until = (f"until {timezone.localtime(suspension.ends_at):%-d %B %Y, %H:%M}"
             if suspension.ends_at else "until a moderator reviews it")
    core_services.notification_send(
        recipient=suspension.user, kind=Notification.Kind.MODERATOR,
        title=f"Your account is paused {until}", message=suspension.reason,
        url=reverse("moderation:paused"),
    )
    events.disconnect_user(suspension.user_id, "suspended")


def _require_team(user: User) -> None:
    if not core_permissions.is_moderating_team(user):
        raise PermissionDenied("Only the moderating team can do that.")


def _require_moderator_of(moderator: User, member: User) -> None:
    _require_team(moderator)
    if not permissions.can_moderate_member(moderator, member):
        raise Http404("No such member.")


@transaction.atomic
def member_warn(*, member: User, moderator: User, reason: str) -> Warning:
    _require_moderator_of(moderator, member)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why: the member will see your reason."})
    warning = Warning.objects.create(member=member, reason=reason, created_by=moderator)
    core_services.notification_send(
        recipient=member, kind=Notification.Kind.MODERATOR,
        title="A message from the moderating team about the community agreement",
        message=reason, url=reverse("notifications"),
    )
    core_services.audit_record(actor=moderator, action="sanction.warn", target=member,
                               reason=reason)
    return warning


def next_suspension_days(member: User) -> int:
    """The next step of the ladder after the member's past suspensions (0: permanent)."""
    ladder = settings.MODERATION_SUSPENSION_LADDER
    past = Suspension.objects.filter(user=member, pending_review=False).count()
    return ladder[min(past, len(ladder) - 1)]


@transaction.atomic
def member_suspend(*, member: User, moderator: User, reason: str,
                   days: int | None = None) -> Suspension:
    """Suspend site-wide for `days` (0: permanently; None: the next step of the ladder)."""
    _require_moderator_of(moderator, member)
    if core_permissions.is_moderating_team(member):
        raise PermissionDenied("Members of the moderating team are managed by admins.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why: the member will see your reason."})
    days = next_suspension_days(member) if days is None else days
    if days not in settings.MODERATION_SUSPENSION_LADDER:
        raise ValidationError({"days": "Choose one of the suspension lengths."})
    now = timezone.now()
    before = list(Suspension.objects.in_force(now).filter(user=member).values_list(
        "pk", flat=True))
    Suspension.objects.in_force(now).filter(user=member).update(lifted_at=now,
                                                                lifted_by=moderator)
    suspension = Suspension.objects.create(
        user=member, reason=reason, created_by=moderator, starts_at=now,
        ends_at=now + timedelta(days=days) if days else None,
    )
    _tell_member_of_suspension(suspension)
    core_services.audit_record(actor=moderator, action="sanction.suspend", target=member,
                               reason=reason, days=days, before=before, after=suspension.pk)
    return suspension


@transaction.atomic
def suspension_lift(*, suspension: Suspension, moderator: User, reason: str = "") -> Suspension:
    _require_moderator_of(moderator, suspension.user)
    if suspension.lifted_at:
        return suspension
    suspension.lifted_at, suspension.lifted_by = timezone.now(), moderator
    suspension.save(update_fields=["lifted_at", "lifted_by"])
    core_services.notification_send(
        recipient=suspension.user, kind=Notification.Kind.MODERATOR,
        title="Your account is no longer paused", message=reason or "Welcome back.",
        url=reverse("home"),
    )
    core_services.audit_record(actor=moderator, action="sanction.lift",
                               target=suspension.user, reason=reason, suspension=suspension.pk)
    return suspension


# --- Escalations and notes ----------------------------------------------------------------------


@transaction.atomic
def escalation_open(*, item: ReviewItem, moderator: User, what_was_seen: str) -> Escalation:
    _require_moderator(moderator, item)
    if not (what_was_seen or "").strip():
        raise ValidationError({"what_was_seen": "Describe what was seen."})
    escalation = Escalation.objects.create(
        review_item=item, space=item.space, member=item.member, opened_by=moderator,
        what_was_seen=what_was_seen.strip(),
    )
    core_services.audit_record(actor=moderator, action="escalation.open", target=escalation,
                               space=item.space)
    return escalation


@transaction.atomic
def escalation_add_step(*, escalation: Escalation, moderator: User, action: str,
                        note: str = "") -> EscalationStep:
    if not permissions.can_moderate(moderator, escalation.space):
        raise PermissionDenied("Only the moderating team of this space can add to this.")
    if escalation.closed_at:
        raise ValidationError("This escalation is closed.")
    if action not in EscalationStep.Action.values or action == EscalationStep.Action.CLOSED:
        raise ValidationError({"action": "Choose what was done."})
    step = EscalationStep.objects.create(escalation=escalation, action=action,
                                         note=(note or "").strip(), by=moderator)
    core_services.audit_record(actor=moderator, action=f"escalation.{action}",
                               target=escalation, space=escalation.space)
    return step


@transaction.atomic
def escalation_close(*, escalation: Escalation, moderator: User, note: str = "") -> Escalation:
    if not permissions.can_close_escalation(moderator, escalation.space):
        raise PermissionDenied("Only clinicians and admins can close an escalation.")
    if escalation.closed_at:
        return escalation
    escalation.closed_at, escalation.closed_by = timezone.now(), moderator
    escalation.save(update_fields=["closed_at", "closed_by"])
    EscalationStep.objects.create(escalation=escalation, action=EscalationStep.Action.CLOSED,
                                  note=(note or "").strip(), by=moderator)
    core_services.audit_record(actor=moderator, action="escalation.close", target=escalation,
                               space=escalation.space)
    return escalation


@transaction.atomic
def member_note_add(*, member: User, moderator: User, text: str) -> MemberNote:
    _require_moderator_of(moderator, member)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the note."})
    note = MemberNote.objects.create(member=member, author=moderator, text=text[:2000])
    core_services.audit_record(actor=moderator, action="member_note.add", target=member)
    return note


def screen_story(*, author: User, space: Space | None, story) -> str:
    """The risk check for a submitted recovery story: queue a match for the team."""
    screening = screen(author=author, space=space, texts=[story.title, story.body])
    if screening.tier and space is not None:
        screening_followup(screening=screening, author=author, space=space,
                           target_type="library.story", target_id=story.pk,
                           summary=f"Recovery story by {author.display_name}")
    return screening.tier


def erase_member(user: User, delete_text: bool) -> None:
    """Account deletion: queue summaries stop naming the person. Reports, escalations and notes
    are safeguarding records, kept as docs/privacy.md says; their text is not copied here."""
    for item in ReviewItem.objects.filter(member=user):
        item.summary = item.summary.replace(user.display_name, "a former member")
        item.save(update_fields=["summary"])
