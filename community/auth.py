"""Sign-in helpers shared by django-axes and the views, and the backend that loads the person
signed in."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def axes_username(request, credentials=None) -> str:
    """The sign-in name axes counts failures against, folded so case changes do not reset it."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return raw.strip().lower()


class SignedInBackend(ModelBackend):
    """Django's model backend, loading the person's safety plan with them (one join, not one more
    query): every page with a composer carries the supportive message, with the plan at its top,
    ready for when the risk check matches."""

    def get_user(self, user_id):
        user_model = get_user_model()
        user = user_model._default_manager.select_related("safety_plan").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
