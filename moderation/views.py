from __future__ import annotations

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from community import permissions as core
from community import plans
from community.converters import parse_id
from community.models import AuditEntry, CrisisContact, Space, User
from community.twofactor import team_required
from moderation import permissions, registry, selectors, services
from moderation.forms import (
    EscalationForm,
    EscalationStepForm,
    NoteForm,
    ReasonForm,
    ReportForm,
    SuspendForm,
)
from moderation.models import Escalation, MemberNote, Suspension, Warning
from moderation.risk import assess


def _errors_to_messages(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@team_required
def queue(request):
    handled = selectors.high_tier_handled_this_shift(request.user)
    return render(request, "moderation/queue.html", {
        "items": selectors.queue_for(request.user),
        "high_tier_handled": handled,
        "suggest_break": handled >= settings.MODERATION_HIGH_TIER_BREAK_AFTER,
        "duty_spaces": _duty_spaces(request.user),
    })


def _duty_spaces(user):
    spaces = Space.objects.visible_to(user)
    on_duty = set(selectors.duty_space_ids(user))
    return [(space, space.pk in on_duty) for space in spaces if core.can_moderate_space(user,
                                                                                       space)]


@team_required
@require_http_methods(["GET", "POST"])
def item_detail(request, pk: int):
    item = selectors.item_for(request.user, pk)
    target = registry.find(item.target_type, item.target_id) if item.target_type else None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "claim":
                services.review_item_claim(item=item, moderator=request.user)
            elif action == "release":
                services.review_item_release(item=item, moderator=request.user)
            else:
                services.review_item_resolve(item=item, moderator=request.user, action=action,
                                             reason=request.POST.get("reason", ""),
                                             body=request.POST.get("body", ""))
                messages.success(request, "Done.")
                return redirect("moderation:queue")
        except ValidationError as error:
            _errors_to_messages(request, error)
        return redirect("moderation:item", pk=item.pk)
    return render(request, "moderation/item.html", {
        "item": item,
        "target": target,
        "preview": target.adapter.preview(target.item) if target else "",
        "body": target.adapter.body(target.item) if target else "",
        "status": target.adapter.status(target.item) if target else "",
        "url": target.adapter.url(target.item) if target else "",
        "reports": item.reports.select_related("reporter"),
        "escalations": item.escalations.all(),
        "escalation_form": EscalationForm(),
    })


@team_required
@require_POST
def escalate(request, pk: int):
    item = selectors.item_for(request.user, pk)
    form = EscalationForm(request.POST)
    if not form.is_valid() or item.member is None:
        messages.error(request, "Describe what was seen.")
        return redirect("moderation:item", pk=item.pk)
    escalation = services.escalation_open(item=item, moderator=request.user,
                                          what_was_seen=form.cleaned_data["what_was_seen"])
    return redirect("moderation:escalation", pk=escalation.pk)


@team_required
@require_http_methods(["GET", "POST"])
def escalation_detail(request, pk: int):
    escalation = get_object_or_404(Escalation.objects.select_related("member", "space"), pk=pk)
    if not core.can_moderate_space(request.user, escalation.space):
        raise Http404
    form = EscalationStepForm(request.POST if "step" in request.POST else None)
    if request.method == "POST":
        try:
            if "close" in request.POST:
                services.escalation_close(escalation=escalation, moderator=request.user,
                                          note=request.POST.get("note", ""))
            elif form.is_valid():
                services.escalation_add_step(escalation=escalation, moderator=request.user,
                                             **form.cleaned_data)
            else:
                raise ValidationError("Choose what was done.")
        except ValidationError as error:
            _errors_to_messages(request, error)
        return redirect("moderation:escalation", pk=escalation.pk)
    return render(request, "moderation/escalation.html", {
        "escalation": escalation, "steps": escalation.steps.select_related("by"), "form": form,
        "can_close": permissions.can_close_escalation(request.user, escalation.space),
    })


@team_required
@require_http_methods(["GET", "POST"])
def member_detail(request, pk: int):
    member = get_object_or_404(User, pk=pk, is_active=True)
    if not permissions.can_moderate_member(request.user, member):
        raise Http404("No such member.")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "note":
                services.member_note_add(member=member, moderator=request.user,
                                         text=request.POST.get("text", ""))
            elif action == "warn":
                services.member_warn(member=member, moderator=request.user,
                                     reason=request.POST.get("reason", ""))
            elif action == "suspend":
                form = SuspendForm(request.POST)
                if not form.is_valid():
                    raise ValidationError("Choose a length and give a reason.")
                services.member_suspend(member=member, moderator=request.user,
                                        **form.cleaned_data)
            elif action == "lift":
                suspension = get_object_or_404(
                    Suspension, pk=parse_id(request.POST.get("suspension")) or 0, user=member)
                services.suspension_lift(suspension=suspension, moderator=request.user,
                                         reason=request.POST.get("reason", ""))
            else:
                raise ValidationError("Unknown action.")
            messages.success(request, "Done.")
        except ValidationError as error:
            _errors_to_messages(request, error)
        return redirect("moderation:member", pk=member.pk)
    return render(request, "moderation/member.html", {
        "member": member,
        "notes": MemberNote.objects.filter(member=member).select_related("author"),
        "warnings": Warning.objects.filter(member=member).order_by("-created_at"),
        "suspensions": Suspension.objects.filter(user=member).order_by("-starts_at"),
        "note_form": NoteForm(), "warn_form": ReasonForm(),
        "suspend_form": SuspendForm(initial={"days": services.next_suspension_days(member)}),
        "shared_plan": plans.safety_plan_shared_with(request.user, member),
    })


@login_required
@require_http_methods(["GET", "POST"])
def report(request):
    target_type = request.GET.get("type", "")
    target_id = request.GET.get("id")
    member = None
    if target_type:
        target = registry.find(target_type, target_id)
        if target is None or not target.adapter.can_view(request.user, target.item):
            raise Http404("No such item.")
        about = f"{target.adapter.label.lower()} by {target.adapter.author(target.item)}"
        back = target.adapter.url(target.item)
    else:
        member = User.objects.filter(pk=parse_id(request.GET.get("member")) or 0,
                                     is_active=True).first()
        if member is None or not services.shares_a_space(request.user, member):
            raise Http404("No such member.")
        about, back = f"the member {member.display_name}", reverse("home")
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(reporter=request.user, target_type=target_type,
                                   target_id=target_id, member=member, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Thank you for telling us. A moderator will look at it. "
                             "The person you reported won't know it was you.")
            return redirect(back)
    return render(request, "moderation/report.html", {"form": form, "about": about},
                  status=400 if form.errors else 200)


@team_required
@require_POST
def duty(request, slug: str):
    space = core.space_for(request.user, slug)
    try:
        if request.POST.get("on") == "1":
            services.duty_start(user=request.user, space=space)
            messages.success(request, f"You are on duty in {space.name}.")
        else:
            services.duty_end(user=request.user, space=space)
            messages.success(request, f"You are off duty in {space.name}.")
    except ValidationError as error:
        _errors_to_messages(request, error)
    return redirect("moderation:queue")


@login_required
@require_POST
def risk_check(request):
    """The check while composing: the text goes only to Harbour, and only the tier comes back."""
    text = request.POST.get("text", "")[:20_000]
    return JsonResponse({"tier": assess([text]).tier})


@login_required
def paused(request):
    suspension = permissions.suspension_in_force(request.user)
    return render(request, "moderation/paused.html",
                  {"suspension": suspension, "contacts": CrisisContact.objects.listed()})


@login_required
def audit_log(request):
    if not permissions.can_see_audit_log(request.user) or not request.user.is_verified():
        raise PermissionDenied
    entries = AuditEntry.objects.select_related("actor", "space")
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    if actor:
        entries = entries.filter(actor__display_name__iexact=actor)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="harbour-audit.csv"'
        writer = csv.writer(response)
        writer.writerow(["when", "actor", "action", "target_type", "target_id", "space",
                         "detail"])
        for entry in entries.iterator():
            writer.writerow([entry.created_at.isoformat(),
                             entry.actor.display_name if entry.actor else "system",
                             entry.action, entry.target_type, entry.target_id,
                             entry.space.slug if entry.space else "", entry.detail])
        return response
    return render(request, "moderation/audit.html",
                  {"entries": entries[:200], "action": action, "actor": actor})


