from django.conf import settings

from community import permissions


def site(request):
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "is_moderating_team": permissions.is_moderating_team(user),
        "can_issue_invitations": permissions.can_issue_invitations(user),
    }
