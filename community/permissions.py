"""Who may do what. Views, consumers and services ask here; nothing else re-derives a rule.

Rules about spaces answer 404 rather than 403 when a person lacks the key: a space they cannot
enter does not exist for them.
"""

from __future__ import annotations

from django.http import Http404

from community.models import INVITABLE_ROLES, MODERATING_TEAM_ROLES, Key, Role, Space


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_moderating_team(user) -> bool:
    return _signed_in(user) and user.role in MODERATING_TEAM_ROLES


def is_admin(user) -> bool:
    return _signed_in(user) and user.role == Role.ADMIN


def is_clinician_or_admin(user) -> bool:
    return _signed_in(user) and user.role in {Role.CLINICIAN, Role.ADMIN}


def can_issue_invitations(user) -> bool:
    return is_clinician_or_admin(user)


def invitable_roles(user) -> tuple[str, ...]:
    return INVITABLE_ROLES if can_issue_invitations(user) else ()


def can_revoke_invitation(user, invitation) -> bool:
    return is_admin(user) or (can_issue_invitations(user) and invitation.created_by_id == user.pk)


def keys_of(user) -> dict[int, bool]:
    """The person's keys as {space id: moderates}, read once per user object (one request)."""
    if not _signed_in(user):
        return {}
    cached = getattr(user, "_harbour_keys", None)
    if cached is None:
        cached = dict(Key.objects.filter(user=user).values_list("space_id", "moderates"))
        user._harbour_keys = cached
    return cached


def forget_keys(user) -> None:
    """After a change of keys, the next question reads them afresh."""
    user.__dict__.pop("_harbour_keys", None)


def can_enter_space(user, space: Space) -> bool:
    if not _signed_in(user):
        return False
    return is_admin(user) or space.pk in keys_of(user)


def can_manage_keys(user, space: Space) -> bool:
    """Clinicians grant and revoke keys to the spaces they hold a key to; admins to every space."""
    return _signed_in(user) and user.role in {Role.CLINICIAN, Role.ADMIN} and can_enter_space(
        user, space
    )


def can_assign_moderators(user) -> bool:
    return is_admin(user)


def can_see_private_names(user) -> bool:
    """First and last names given at joining are for admins only."""
    return is_admin(user)


def can_moderate_space(user, space: Space) -> bool:
    if is_admin(user):
        return True
    return is_moderating_team(user) and keys_of(user).get(space.pk, False)


def moderated_spaces(user):
    """The spaces this person moderates, as a QuerySet to filter by."""
    if is_admin(user):
        return Space.objects.all()
    if not is_moderating_team(user):
        return Space.objects.none()
    return Space.objects.filter(keys__user=user, keys__moderates=True)


def moderates_any_space_of(viewer, member) -> bool:
    """Whether the viewer is on the moderating team of a space the member holds a key to."""
    if not is_moderating_team(viewer):
        return False
    member_spaces = Key.objects.filter(user=member).values("space")
    return moderated_spaces(viewer).filter(pk__in=member_spaces).exists()


def space_for(user, slug: str) -> Space:
    """The space named by slug if the person holds a key to it; otherwise it does not exist."""
    space = Space.objects.visible_to(user).filter(slug=slug).first()
    if space is None:
        raise Http404("No such space.")
    return space
