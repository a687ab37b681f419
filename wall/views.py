from __future__ import annotations

import uuid

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
from wall import permissions, selectors, services
from wall.models import MESSAGE_MAX


def _space(user, slug: str):
    space = core.space_for(user, slug)
    if not permissions.can_join(user, space):
        raise Http404("No such space.")
    return space


def _render(request, space, *, body: str = "", error: str = "", status: int = 200):
    return render(request, "wall/wall.html", {
        "space": space,
        "messages_history": selectors.history(request.user, space),
        "pinned": selectors.pinned_payload(space),
        "hours": office_hours(space),
        "on_duty": moderation_selectors.on_duty(space),
        "refusal": permissions.posting_refusal(request.user, space),
        "client_id": uuid.uuid4().hex,
        "body": body,
        "error": error,
        "max_length": MESSAGE_MAX,
        "last_seq": selectors.last_seq(space),
        "can_moderate": permissions.can_moderate(request.user, space),
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
    body = request.POST.get("body", "")
    try:
        message = services.wall_post(author=request.user, space=space,
                                     client_id=request.POST.get("client_id", ""), body=body)
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
