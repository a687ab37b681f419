from __future__ import annotations

import sys
from datetime import datetime, time, timedelta
from urllib.parse import parse_qs, urlparse

import segno
from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django.views.defaults import server_error

from community import (
    erasure,
    exports,
    library,
    live,
    panels,
    permissions,
    plans,
    selectors,
    services,
)
from community.forms import (
    BreakForm,
    DeleteAccountForm,
    InvitationForm,
    JoinCodeForm,
    JoinForm,
    KeyGrantForm,
    NotificationSettingsForm,
    ResourceForm,
    SafetyPlanForm,
    SignInForm,
    StoryForm,
    TokenForm,
)
from community.models import (
    CrisisContact,
    Invitation,
    Resource,
    SafetyPlan,
    SavedResource,
    User,
)
from community.outages import SERVICE_OUTAGES
from community.ratelimit import attempt_record, attempts_exceeded, client_address
from community.support import remember_support
from community.twofactor import team_required

TOO_MANY_JOIN_ATTEMPTS = (
    "Too many joining attempts from your connection. Please wait 10 minutes and try again. "
    "If you need help now, use the Urgent help link."
)


def home(request):
    if not request.user.is_authenticated:
        return render(request, "community/landing.html")
    return render(
        request,
        "community/home.html",
        {
            "spaces": selectors.spaces_for_home(request.user),
            "can_issue_invitations": permissions.can_issue_invitations(request.user),
            "library_highlights": list(library.browse(request.user)[:3]),
            **panels.home_context(request.user),
        },
    )


def urgent_help(request):
    return render(
        request, "community/urgent_help.html", {"contacts": CrisisContact.objects.listed()}
    )


def community_agreement(request):
    return render(request, "community/community_agreement.html")


def _join_blocked(request) -> bool:
    return attempts_exceeded(
        scope="join", who=client_address(request), limit=settings.JOIN_ATTEMPTS_LIMIT
    )


def _join_attempted(request) -> None:
    """Count a submitted form or a code that did not work: what guessing consists of."""
    attempt_record(scope="join", who=client_address(request), window=settings.JOIN_ATTEMPTS_WINDOW)


@require_http_methods(["GET", "POST"])
def join_start(request):
    form = JoinCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _join_blocked(request):
            return render(
                request, "community/join_start.html",
                {"form": form, "blocked": TOO_MANY_JOIN_ATTEMPTS}, status=429,
            )
        _join_attempted(request)
        code = form.cleaned_data["code"].strip().rstrip("/").rsplit("/", 1)[-1]
        try:
            services.invitation_for_code(code)
        except services.InvitationUnusable as problem:
            form.add_error("code", str(problem))
            return render(request, "community/join_start.html", {"form": form}, status=400)
        return redirect("join", code=code)
    return render(request, "community/join_start.html", {"form": form})


@require_http_methods(["GET", "POST"])
def join(request, code: str):
    form = JoinForm(request.POST or None)
    if _join_blocked(request):
        return render(
            request, "community/join.html", {"form": form, "blocked": TOO_MANY_JOIN_ATTEMPTS},
            status=429,
        )
    if request.user.is_authenticated:
        return render(request, "community/join_signed_in.html")
    try:
        invitation = services.invitation_for_code(code)
    except services.InvitationUnusable as problem:
        _join_attempted(request)
        return render(
            request, "community/join_unusable.html",
            {"problem": str(problem), "form": JoinCodeForm()}, status=410,
        )
    if request.method == "POST":
        _join_attempted(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_join(
                code=code, site_url=request.build_absolute_uri("/"),
                **{name: form.cleaned_data[name] for name in JoinForm.SERVICE_FIELDS},
            )
        except services.InvitationUnusable as problem:
            form.add_error(None, str(problem))
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            # The same page whether or not the address already had an account.
            return render(request, "community/join_check_email.html")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "community/join.html", {"form": form, "invitation": invitation}, status=status
    )


def join_confirm(request, token: str):
    try:
        user = services.user_confirm_email(token=token)
    except ValidationError as error:
        return render(request, "community/join_confirm_failed.html",
                      {"problem": " ".join(error.messages)}, status=400)
    login(request, user, backend="community.auth.SignedInBackend")
    _remember_session(request, user)
    messages.success(request, f"Welcome to {settings.SITE_NAME}, {user.display_name}.")
    return redirect("home")


def _attach_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error("password" if _is_password_error(error) else None, error)


def _is_password_error(error: ValidationError) -> bool:
    return any(
        (getattr(item, "code", "") or "").startswith("password") for item in error.error_list
    )


@login_required
def invitation_list(request):
    if not permissions.can_issue_invitations(request.user):
        raise PermissionDenied
    return render(
        request, "community/invitation_list.html",
        {
            "invitations": selectors.invitations_for(request.user),
            "show_issuer": permissions.is_admin(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request):
    if not permissions.can_issue_invitations(request.user):
        raise PermissionDenied
    form = InvitationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        invitation, code = services.invitation_create(
            created_by=request.user,
            role=form.cleaned_data["role"],
            spaces=form.cleaned_data["spaces"],
            expires_at=form.expires_at,
            therapy_completed=form.cleaned_data["therapy_completed"],
            label=form.cleaned_data["label"],
        )
        link = request.build_absolute_uri(reverse("join", kwargs={"code": code}))
        return render(
            request, "community/invitation_created.html",
            {"invitation": invitation, "link": link, "code": code}, status=201,
        )
    status = 400 if request.method == "POST" else 200
    return render(request, "community/invitation_form.html", {"form": form}, status=status)


@login_required
@require_POST
def invitation_revoke(request, pk: int):
    invitation = get_object_or_404(Invitation.objects.issued_by(request.user), pk=pk)
    try:
        services.invitation_revoke(invitation=invitation, revoked_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The invitation was revoked: its link no longer works.")
    return redirect("invitation_list")


@login_required
def space_detail(request, slug: str):
    space = permissions.space_for(request.user, slug)
    return render(
        request, "community/space_detail.html",
        {
            "space": space,
            "moderating_team": selectors.moderating_team(space),
            "can_manage_keys": permissions.can_manage_keys(request.user, space),
            **panels.space_context(request.user, space),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def space_keys(request, slug: str):
    space = permissions.space_for(request.user, slug)
    if not permissions.can_manage_keys(request.user, space):
        raise PermissionDenied
    form = KeyGrantForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.key_grant(
                    space=space, user=form.cleaned_data["display_name"],
                    granted_by=request.user, moderates=form.cleaned_data["moderates"],
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, _message_of(error))
            else:
                messages.success(request, "Key given.")
                return redirect("space_keys", slug=space.slug)
        status = 400
    return render(
        request, "community/space_keys.html",
        {
            "space": space,
            "keys": selectors.key_holders(space),
            "form": form,
            "can_assign_moderators": permissions.can_assign_moderators(request.user),
            "can_see_private_names": permissions.can_see_private_names(request.user),
        },
        status=status,
    )


@login_required
@require_POST
def space_key_revoke(request, slug: str, user_id: int):
    space = permissions.space_for(request.user, slug)
    if not permissions.can_manage_keys(request.user, space):
        raise PermissionDenied
    holder = get_object_or_404(User, pk=user_id, keys__space=space)
    try:
        services.key_revoke(space=space, user=holder, revoked_by=request.user)
    except PermissionDenied as error:
        messages.error(request, _message_of(error))
    else:
        messages.success(request, f"{holder.display_name} no longer holds a key to {space.name}.")
    return redirect("space_keys", slug=space.slug)


def _message_of(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "You can't do that."


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, limited per client address so nobody can flood someone's inbox."""

    def form_valid(self, form):
        who = client_address(self.request)
        if attempts_exceeded(scope="password_reset", who=who,
                             limit=settings.PASSWORD_RESET_LIMIT):
            form.add_error(None, "Too many reset requests from your connection. Please wait an "
                                 "hour and try again.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        attempt_record(scope="password_reset", who=who, window=timedelta(hours=1))
        return super().form_valid(form)


def _remember_session(request, user) -> None:
    plans.session_record(user=user, session_key=request.session.session_key,
                         user_agent=request.META.get("HTTP_USER_AGENT", ""))


class SignInView(auth_views.LoginView):
    """Django's sign-in, remembering the session so the person can see and end it later."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        _remember_session(self.request, form.get_user())
        return response


class SignOutView(auth_views.LogoutView):
    """Django's sign-out; every live connection of the person closes too."""

    def post(self, request, *args, **kwargs):
        user_id = request.user.pk
        response = super().post(request, *args, **kwargs)
        if user_id is not None:
            live.disconnect_user(user_id, "signed_out")
        return response


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def service_error(request):
    """Django's error page; when the database or Redis can't be reached, a 503 to try again soon,
    so that a load balancer or monitor sees an outage rather than a bug. Django calls this while
    handling the exception, so sys.exc_info() names it."""
    if isinstance(sys.exc_info()[1], SERVICE_OUTAGES):
        response = server_error(request)
        response.status_code = 503
        response["Retry-After"] = "30"
        return response
    return server_error(request)


@login_required
def notification_list(request):
    notifications = selectors.notifications_for(request.user)
    response = render(
        request, "community/notifications.html",
        {"notifications": notifications, "contacts": CrisisContact.objects.listed()},
    )
    services.notifications_mark_read(user=request.user, ids=[n.pk for n in notifications])
    return response


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    current = services.notification_settings_for(request.user)
    form = NotificationSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.notification_settings_update(
            user=request.user, **{name: form.cleaned_data[name] for name in form.fields}
        )
        messages.success(request, "Your notification settings are saved.")
        return redirect("notification_settings")
    return render(request, "community/notification_settings.html", {"form": form})


def _safe_next(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse(default)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    device = services.two_factor_device_for_setup(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.two_factor_confirm(request=request, device=device,
                                       token=form.cleaned_data["token"]):
            messages.success(request, "Two-factor authentication is on.")
            return redirect(_safe_next(request))
        form.add_error("token", "That code didn't match. Check the time on your phone and try "
                                "the newest code.")
    return render(
        request, "community/two_factor_setup.html",
        {"form": form, "secret": parse_qs(urlparse(device.config_url).query)["secret"][0],
         "qr": segno.make(device.config_url).svg_data_uri(scale=4),
         "next": request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.two_factor_verify(request=request, token=form.cleaned_data["token"]):
            return redirect(_safe_next(request))
        form.add_error("token", "That code didn't match. Try the newest code from your app.")
    return render(request, "community/two_factor_verify.html",
                  {"form": form, "next": request.GET.get("next", "")},
                  status=400 if form.errors else 200)


LIBRARY_FRAME_SOURCES = {"frame-src": list(library.EMBED_HOSTS)}


def _visible_resource(user, pk: int) -> Resource:
    """A library resource this person may see; otherwise it does not exist for them."""
    resource = library.resource_for(user, pk)
    if resource is None:
        raise Http404("No such resource.")
    return resource


@login_required
def library_index(request):
    filters = {name: request.GET.get(name, "") for name in ("topic", "kind", "audience", "q")}
    resources = library.browse(request.user, topic=filters["topic"], kind=filters["kind"],
                               audience=filters["audience"], query=filters["q"])
    return render(request, "library/index.html", {
        "resources": resources[:50], "filters": filters, "topics": library.topics(),
        "kinds": Resource.Kind.choices, "audiences": Resource.Audience.choices,
    })


@login_required
@csp_replace(LIBRARY_FRAME_SOURCES)
def library_resource(request, pk: int):
    resource = _visible_resource(request.user, pk)
    return render(request, "library/resource.html", {
        "resource": resource,
        "related": library.related(request.user, resource),
        "answered": resource.feedback.filter(user=request.user).exists(),
        "saved": resource.saves.filter(user=request.user).exists(),
    })


@login_required
@require_POST
def library_feedback(request, pk: int):
    resource = _visible_resource(request.user, pk)
    if library.resource_feedback(resource=resource, user=request.user,
                                 helpful=request.POST.get("helpful") == "yes"):
        messages.success(request, "Thank you for telling us.")
    else:
        messages.info(request, "You've already told us about this one. Thank you.")
    return redirect("library_resource", pk=resource.pk)


@login_required
@require_POST
def library_save(request, pk: int):
    resource = _visible_resource(request.user, pk)
    saved = library.resource_save_toggle(resource=resource, user=request.user)
    messages.success(request, "Saved for later." if saved else "Removed from your saved list.")
    return redirect("library_resource", pk=resource.pk)


@login_required
def library_saved(request):
    saved = SavedResource.objects.filter(
        user=request.user, resource__in=Resource.objects.visible_to(request.user)
    ).select_related("resource")
    return render(request, "library/saved.html", {"saved": saved})


@login_required
def story_list(request):
    stories = Resource.objects.filter(author=request.user, is_story=True).order_by("-created_at")
    return render(request, "library/stories.html", {"stories": stories})


@login_required
@require_http_methods(["GET", "POST"])
def story_edit(request, pk: int | None = None):
    story = None
    if pk is not None:
        story = get_object_or_404(Resource, pk=pk, author=request.user, is_story=True)
    initial = {"title": story.title, "summary": story.summary, "body": story.body} if story \
        else None
    form = StoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            story = library.story_save(author=request.user, story=story, **form.cleaned_data)
            if "submit" in request.POST:
                tier = library.story_submit(story=story, author=request.user)
                remember_support(request, tier=tier, held=False, out_of_hours=False)
                messages.success(request, "Sent to the moderating team. We'll let you know "
                                 "what happens next.")
            else:
                messages.success(request, "Saved as a draft.")
            return redirect("story_list")
        except ValidationError as error:
            _attach_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
    return render(request, "library/story_form.html", {"form": form, "story": story},
                  status=400 if form.errors else 200)


@team_required
def story_review_list(request):
    waiting = Resource.objects.filter(is_story=True, status__in=[
        Resource.Status.SUBMITTED, Resource.Status.APPROVED]).select_related("author")
    return render(request, "library/review_list.html", {"stories": waiting})


@team_required
@require_http_methods(["GET", "POST"])
def story_review(request, pk: int):
    story = get_object_or_404(Resource.objects.select_related("author"), pk=pk, is_story=True)
    if request.method == "POST":
        try:
            library.story_review(story=story, reviewer=request.user,
                                 decision=request.POST.get("decision", ""),
                                 note=request.POST.get("note", ""))
            messages.success(request, "Done: the author has been told.")
            return redirect("story_review_list")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return render(request, "library/review.html", {"story": story})


@team_required
@require_http_methods(["GET", "POST"])
def resource_write(request):
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        resource = Resource(kind=data["kind"], title=data["title"], summary=data["summary"],
                            body=data["body"], url=data["url"] or "", minutes=data["minutes"],
                            audience=data["audience"], author=request.user,
                            video_file=data["video_file"], captions_file=data["captions_file"])
        try:
            library.resource_save(resource=resource, editor=request.user,
                                  publish=data["publish"])
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            resource.topics.set(data["topics"])
            messages.success(request, "Published." if data["publish"] else "Saved as a draft.")
            return redirect("library")
    return render(request, "library/write.html", {"form": form},
                  status=400 if form.errors else 200)


@login_required
def library_media(request, pk: int, which: str):
    """Uploaded videos and captions, only for those who may see the resource."""
    resource = _visible_resource(request.user, pk)
    if which == "video" and resource.video_file:
        upload, content_type = resource.video_file, resource.video_type
    elif which == "captions" and resource.captions_file:
        upload, content_type = resource.captions_file, "text/vtt"
    else:
        raise Http404("No such file.")
    response = FileResponse(upload.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def staying_well_plan(request):
    sections = plans.staying_well_sections(request.user)
    plan = plans.staying_well_plan_for(request.user)
    texts = {name: request.POST.get(name, plan.sections.get(name, "")) for name, _ in sections}
    error, status = "", 200
    if request.method == "POST":
        try:
            plans.staying_well_plan_save(user=request.user, texts=texts)
        except ValidationError as problem:
            error, status = " ".join(problem.messages), 400
        else:
            messages.success(request, "Your plan is saved. Only you can see it.")
            return redirect("staying_well_plan")
    return render(request, "plans/staying_well.html", {
        "sections": [(name, label, texts[name]) for name, label in sections], "error": error,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def safety_plan(request):
    plan = plans.safety_plan_for(request.user)
    initial = {name: getattr(plan, name) for name, _ in SafetyPlan.SECTIONS}
    initial["shared_with_team"] = plan.shared_with_team
    form = SafetyPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        plans.safety_plan_save(user=request.user, **form.cleaned_data)
        messages.success(request, "Your safety plan is saved.")
        return redirect("safety_plan")
    return render(request, "plans/safety_plan.html", {"form": form},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def take_a_break(request):
    form = BreakForm(request.POST or None)
    if request.method == "POST" and "end" in request.POST:
        plans.break_end(user=request.user)
        messages.success(request, "Welcome back: notifications are on again.")
        return redirect("take_a_break")
    if request.method == "POST" and "quiet" in request.POST:
        plans.quiet_reading_set(user=request.user, quiet=request.POST["quiet"] == "on")
        messages.success(request, "Quiet reading is on: you won't appear on the Wall's list of "
                         "who is here." if request.user.quiet_reading else
                         "Quiet reading is off.")
        return redirect("take_a_break")
    if request.method == "POST" and form.is_valid():
        until = timezone.make_aware(datetime.combine(form.cleaned_data["until"], time(0, 0)))
        try:
            plans.break_take(user=request.user, until=until)
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            messages.success(request, "Enjoy your break. Notifications will wait for you.")
            return redirect("take_a_break")
    current = request.user.break_until if plans.on_break(request.user) else None
    return render(request, "plans/break.html", {"form": form, "current": current},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def signed_in_sessions(request):
    if request.method == "POST":
        ended = plans.sessions_end_others(user=request.user, keep=request.session.session_key)
        plural = "s" if ended != 1 else ""
        messages.success(request, f"Signed out of {ended} other session{plural}.")
        return redirect("signed_in_sessions")
    return render(request, "plans/sessions.html", {
        "sessions": plans.sessions_for(request.user), "current": request.session.session_key,
    })


@login_required
def my_data(request):
    return render(request, "plans/my_data.html")


@login_required
def my_data_download(request):
    response = HttpResponse(exports.export_zip(request.user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="harbour-my-data.zip"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erasure.account_erase(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            logout(request)
            return render(request, "plans/deleted.html")
    return render(request, "plans/delete_account.html", {"form": form},
                  status=400 if form.errors else 200)
