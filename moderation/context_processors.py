from community.models import CrisisContact
from moderation.support import SESSION_KEY


def support(request):
    """The supportive message after a risk-check match, shown once."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return {}
    return {"support": session.pop(SESSION_KEY), "support_contacts": CrisisContact.objects.listed()}
