"""Staying well: the member's own plans from therapy, their safety plan, and taking a break.

Plans are private. A safety plan can be shared with the moderating team of the member's spaces
and unshared at any time; the change takes effect at once.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from community import permissions
from community import services as core_services
from community.models import (
    Break,
    CrisisContact,
    SafetyPlan,
    StayingWellPlan,
    Therapy,
    User,
    UserSession,
)

GENERAL_SECTIONS = [
    ("patterns", "Patterns I learned to notice"),
    ("warning_signs", "My early warning signs"),
    ("what_helps", "What helps me"),
]
THERAPY_SECTIONS = {
    Therapy.DIT: [("goodbye_letter", "My goodbye letter from DIT")],
    Therapy.IPT: [("maintenance_plan", "My IPT maintenance plan")],
    Therapy.CBT: [("skills", "CBT skills I use")],
    Therapy.COUNSELLING: [("takeaways", "What I took from counselling")],
}
SECTION_MAX = 8000


def staying_well_sections(user: User) -> list[tuple[str, str]]:
    """The sections offered: those fitting the therapy the invitation named, then the rest."""
    return THERAPY_SECTIONS.get(user.therapy_completed, []) + GENERAL_SECTIONS


def staying_well_plan_for(user: User) -> StayingWellPlan:
    return StayingWellPlan.objects.filter(user=user).first() or StayingWellPlan(user=user)


@transaction.atomic
def staying_well_plan_save(*, user: User, texts: dict[str, str]) -> StayingWellPlan:
    allowed = dict(staying_well_sections(user))
    plan = staying_well_plan_for(user)
    cleaned = {}
    for name, text in texts.items():
        if name not in allowed:
            continue
        text = (text or "").strip()
        if len(text) > SECTION_MAX:
            raise ValidationError({name: f"Each section can be up to {SECTION_MAX:,} characters."})
        if text:
            cleaned[name] = text
    plan.sections, plan.updated_at = cleaned, timezone.now()
    plan.save()
    return plan


def safety_plan_for(user: User) -> SafetyPlan:
    """The member's safety plan; a new one starts with the urgent help contacts filled in."""
    plan = SafetyPlan.objects.filter(user=user).first()
    if plan is None:
        contacts = CrisisContact.objects.listed()
        plan = SafetyPlan(user=user, professionals="\n".join(
            f"{c.name}: {c.phone or c.text_number or c.website}" for c in contacts))
    return plan


@transaction.atomic
def safety_plan_save(*, user: User, shared_with_team: bool, **sections: str) -> SafetyPlan:
    plan = safety_plan_for(user)
    was_shared = plan.shared_with_team if plan.pk else False
    for name, _ in SafetyPlan.SECTIONS:
        text = (sections.get(name) or "").strip()
        if len(text) > 4000:
            raise ValidationError({name: "Each section can be up to 4,000 characters."})
        setattr(plan, name, text)
    plan.shared_with_team, plan.updated_at = shared_with_team, timezone.now()
    plan.save()
    if was_shared != shared_with_team:
        core_services.audit_record(
            actor=user, action="safety_plan.share" if shared_with_team else "safety_plan.unshare",
            target=user)
    return plan


def safety_plan_shared_with(viewer: User, member: User) -> SafetyPlan | None:
    """The member's plan, if they share it and the viewer moderates one of their spaces."""
    plan = SafetyPlan.objects.filter(user=member, shared_with_team=True).first()
    if plan is None or not permissions.moderates_any_space_of(viewer, member):
        return None
    return plan


@transaction.atomic
def break_take(*, user: User, until: datetime) -> Break:
    if until <= timezone.now():
        raise ValidationError({"until": "Choose a date in the future."})
    if (until - timezone.now()).days > 366:
        raise ValidationError({"until": "Breaks can be up to a year."})
    pause, _ = Break.objects.update_or_create(user=user, defaults={"until": until})
    return pause


def break_end(*, user: User) -> None:
    Break.objects.filter(user=user).delete()


def quiet_reading_set(*, user: User, quiet: bool) -> None:
    user.quiet_reading = quiet
    user.save(update_fields=["quiet_reading"])


def on_break(user: User) -> bool:
    if not user.is_authenticated:
        return False
    return Break.objects.filter(user=user, until__gt=timezone.now()).exists()



# --- Signed-in sessions -------------------------------------------------------------------------


def session_record(*, user: User, session_key: str, user_agent: str) -> None:
    UserSession.objects.update_or_create(
        session_key=session_key, defaults={"user": user, "device": (user_agent or "")[:200]})


def sessions_for(user: User) -> list[UserSession]:
    """The person's sessions that are still signed in."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return list(UserSession.objects.filter(user=user, session_key__in=live))


@transaction.atomic
def sessions_end_others(*, user: User, keep: str) -> int:
    others = list(UserSession.objects.filter(user=user).exclude(session_key=keep)
                  .values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=others).delete()
    UserSession.objects.filter(session_key__in=others).delete()
    core_services.audit_record(actor=user, action="sessions.end_others", target=user,
                               count=len(others))
    return len(others)
