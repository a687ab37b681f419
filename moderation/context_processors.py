from django.utils.functional import SimpleLazyObject

from community.models import CrisisContact, SafetyPlan
from moderation.support import SESSION_KEY


def _plan_sections(user) -> list[tuple[str, str]]:
    try:
        plan = user.safety_plan  # loaded with the user by community.auth.SignedInBackend
    except SafetyPlan.DoesNotExist:
        return []
    return plan.sections()


def support(request):
    """The supportive message after a risk-check match, shown once, with the person's own
    safety plan at its top."""
    session = getattr(request, "session", None)
    if session is None:
        return {}
    context = {}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # Lazy: read only on pages that show the panel (after a match, or while composing).
        context["support_plan"] = SimpleLazyObject(lambda: _plan_sections(user))
    if SESSION_KEY in session:
        context.update(support=session.pop(SESSION_KEY),
                       support_contacts=CrisisContact.objects.listed())
    return context
