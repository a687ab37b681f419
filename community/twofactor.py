"""Two-factor authentication (TOTP, django-otp) for the moderating team and admins."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from community import permissions


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def session_is_verified(user, session) -> bool:
    """For WebSocket scopes, which OTPMiddleware does not see: the session names a confirmed
    device of this user."""
    persistent_id = session.get(DEVICE_ID_SESSION_KEY) if session is not None else None
    if not persistent_id or not user.is_authenticated:
        return False
    return any(
        device.persistent_id == persistent_id
        for device in TOTPDevice.objects.filter(user=user, confirmed=True)
    )


def team_required(view):
    """Moderating team only, signed in with a second factor. Without a device, set one up."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not permissions.is_moderating_team(request.user):
            raise PermissionDenied("This page is for the moderating team.")
        if not request.user.is_verified():
            target = "two_factor_verify" if has_device(request.user) else "two_factor_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapped
