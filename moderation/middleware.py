"""A suspended member can sign in only to read why, and to reach urgent help."""

from django.shortcuts import redirect, render
from django.urls import reverse

from community.models import CrisisContact
from moderation.permissions import suspension_in_force

# Text a member may have been writing when the pause began: shown back so nothing is lost.
TYPED_FIELDS = ("title", "body", "text", "note", "reason")

ALWAYS_OPEN = ("/help/urgent/", "/accounts/logout/", "/static/", "/community-agreement/")


class SuspendedMemberMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            paused_page = reverse("moderation:paused")
            path = request.path
            if path != paused_page and not path.startswith(ALWAYS_OPEN):
                suspension = suspension_in_force(user)
                if suspension is not None and request.method == "POST":
                    unsent = "\n\n".join(
                        request.POST[name] for name in TYPED_FIELDS if request.POST.get(name)
                    )
                    return render(request, "moderation/paused.html", {
                        "suspension": suspension, "unsent": unsent,
                        "contacts": CrisisContact.objects.listed(),
                    }, status=403)
                if suspension is not None:
                    return redirect(paused_page)
        return self.get_response(request)
