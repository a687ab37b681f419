from django.conf import settings
from django.utils.functional import SimpleLazyObject

from community import permissions, selectors


def site(request):
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "is_moderating_team": permissions.is_moderating_team(user),
        "can_issue_invitations": permissions.can_issue_invitations(user),
        # Lazy: counted only on pages that show it, so error pages need no database.
        "unread_notifications": SimpleLazyObject(
            lambda: selectors.unread_notification_count(user) if user else 0
        ),
    }
