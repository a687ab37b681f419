"""My data: everything Harbour holds about a person, as a zip of JSON and a readable page.

The core gathers its own tables; content apps register what they hold about the person, so
the core need not import them. Nothing identifies another member beyond display names that
were visible in the threads themselves.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone

from community.models import (
    Notification,
    Resource,
    ResourceFeedback,
    SafetyPlan,
    SavedResource,
    StayingWellPlan,
    User,
)

Provider = Callable[[User], list[dict]]
_providers: dict[str, Provider] = {}


def register(section: str, provider: Provider) -> None:
    _providers[section] = provider


def _core(user: User) -> dict[str, object]:
    safety = SafetyPlan.objects.filter(user=user).first()
    staying = StayingWellPlan.objects.filter(user=user).first()
    return {
        "profile": {
            "email": user.email, "first_name": user.first_name, "last_name": user.last_name,
            "display_name": user.display_name, "avatar": user.avatar, "role": user.role,
            "therapy_completed": user.therapy_completed, "date_joined": user.date_joined,
            "agreed_to_rules_at": user.agreed_to_rules_at,
        },
        "keys": [{"space": key.space.name, "since": key.granted_at}
                 for key in user.keys.select_related("space")],
        "notifications": list(Notification.objects.filter(recipient=user).values(
            "kind", "title", "message", "created_at", "read_at")),
        "saved_resources": [{"title": s.resource.title, "saved_at": s.created_at}
                            for s in SavedResource.objects.filter(user=user)
                            .select_related("resource")],
        "resource_feedback": [{"title": f.resource.title, "helpful": f.helpful,
                               "at": f.created_at}
                              for f in ResourceFeedback.objects.filter(user=user)
                              .select_related("resource")],
        "stories": list(Resource.objects.filter(author=user, is_story=True).values(
            "title", "summary", "body", "status", "created_at", "published_at")),
        "safety_plan": {name: getattr(safety, name) for name, _ in SafetyPlan.SECTIONS}
        | {"shared_with_team": safety.shared_with_team} if safety else None,
        "staying_well_plan": staying.sections if staying else None,
    }


def export_for(user: User) -> dict[str, object]:
    data = {"exported_at": timezone.now(), **_core(user)}
    for section, provider in sorted(_providers.items()):
        data[section] = provider(user)
    return data


def export_zip(user: User) -> bytes:
    data = export_for(user)
    text = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    page = render_to_string("plans/export.html", {"data": json.loads(text)})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("harbour-data.json", text)
        archive.writestr("harbour-data.html", page)
    return buffer.getvalue()
