from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from community import permissions as core
from community.models import CrisisContact
from moderation import selectors as moderation_selectors
from moderation.office_hours import office_hours
from moderation.support import remember_support
from wall import permissions, presence, selectors, services
from wall.models import MESSAGE_MAX


def _space(user, slug: str):
    space = core.space_for(user, slug)
    if not permissions.can_join(user, space):
        raise Http404("No such space.")
    return space


class WallPostForm(forms.Form):
    client_id = forms.CharField(max_length=64)
    body = forms.CharField(strip=False, required=False)  # length: the service says it kindly


def _render(request, space, *, body: str = "", error: str = "", status: int = 200):
    state = selectors.state_of(space)  # first, so nothing slips between it and the history
    moderating = permissions.can_moderate(request.user, space,
                                          verified=request.user.is_verified())
    return render(request, "wall/wall.html", {
        "space": space,
        "messages_history": selectors.history(request.user, space, moderating=moderating),
        "pinned": selectors.pinned_payload(space, state),
        "hours": office_hours(space),
        "on_duty": moderation_selectors.on_duty(space),
        "here": presence.names(space.pk),
        "refusal": permissions.posting_refusal(request.user, space),
        "client_id": uuid.uuid4().hex,
        "body": body,
        "error": error,
        "max_length": MESSAGE_MAX,
        "last_seq": state.last_seq,
        "can_moderate": moderating,
        "contacts": CrisisContact.objects.listed(),
    }, status=status)


@login_required
def wall(request, slug: str):
    return _render(request, _space(request.user, slug))


@login_required
@require_POST
def post(request, slug: str):
    """Posting without JavaScript: the same service as the socket."""
    space = _space(request.user, slug)
    form = WallPostForm(request.POST)
    body = request.POST.get("body", "").replace("\x00", "")
    if not form.is_valid():
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _render(request, space, body=body, error=problems, status=400)
    try:
        message = services.wall_post(author=request.user, space=space,
                                     client_id=form.cleaned_data["client_id"],
                                     body=form.cleaned_data["body"])
    except ValidationError as error:
        return _render(request, space, body=body, error=" ".join(error.messages), status=400)
    except services.Refused as refusal:
        return _render(request, space, body=body, error=str(refusal), status=403)
    if message.risk_tier:
        remember_support(request, tier=message.risk_tier,
                         held=message.status == "held", space=space)
    elif message.status == "held":
        messages.info(request, "Your message is waiting for a moderator.")
    return redirect(f"{reverse('wall:wall', kwargs={'slug': space.slug})}#message-{message.pk}")
