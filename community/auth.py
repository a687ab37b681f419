"""Sign-in helpers shared by django-axes and the views."""


def axes_username(request, credentials=None) -> str:
    """The sign-in name axes counts failures against, folded so case changes do not reset it."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return raw.strip().lower()
