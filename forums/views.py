from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from community import permissions as core
from community.converters import parse_id
from community.jinja2 import render_fragment
from community.models import User
from forums import permissions, selectors, services
from forums.filters import THEMES
from forums.forms import (
    EditForm,
    HideForm,
    IgnoreForm,
    MoveForm,
    MuteForm,
    ReplyForm,
    ThreadForm,
)
from forums.models import Category, IgnoredMember, MutedWord, Post, Reaction, Thread
from moderation.models import ContentStatus
from moderation.support import remember_support

HELD_MESSAGE = (
    "Thank you. What you wrote is waiting for a moderator: only you and the moderating team "
    "can see it until then."
)


def _after_posting(request, post: Post, space) -> None:
    """Tell the writer what happens next; after a risk-check match, offer support first."""
    if post.risk_tier:
        remember_support(request, tier=post.risk_tier,
                         held=post.status == ContentStatus.HELD, space=space)
    elif post.status == ContentStatus.HELD:
        messages.info(request, HELD_MESSAGE)


def _add_errors(form, error: Exception) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(error, ValidationError):
        form.add_error(None, error.messages)
    else:
        form.add_error(None, str(error))


def _post_for(user, pk: int) -> Post:
    """A post this person may read; otherwise it does not exist for them."""
    post = (
        Post.objects.visible_to(user).filter(pk=pk)
        .select_related("thread__category__space", "author")
        .first()
    )
    if post is None:
        raise Http404("No such post.")
    return post


def _post_to_moderate(user, pk: int) -> Post:
    """Any post in a thread the person may open, whatever its status, for the moderating team
    of its space; for everyone else it does not exist or is not theirs to moderate."""
    post = (
        Post.objects.filter(pk=pk, thread__in=Thread.objects.visible_to(user))
        .select_related("thread__category__space", "author")
        .first()
    )
    if post is None:
        raise Http404("No such post.")
    if not permissions.can_moderate(user, post.thread.category.space):
        raise PermissionDenied("This is for the moderating team of this space.")
    return post


def _back_to(post: Post) -> str:
    return reverse("forums:post", kwargs={"pk": post.pk})


@login_required
def index(request):
    return render(
        request, "forums/index.html", {"categories": selectors.categories_for(request.user)}
    )


@login_required
def category(request, space_slug: str, category_slug: str):
    found = selectors.category_for(request.user, space_slug, category_slug)
    return render(
        request, "forums/category.html",
        {"category": found,
         "page": selectors.threads_page(request.user, found, request.GET.get("page"))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def thread_create(request, space_slug: str, category_slug: str):
    found = selectors.category_for(request.user, space_slug, category_slug)
    refusal = permissions.posting_refusal(request.user, found.space)
    form = ThreadForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if refusal:
            form.is_valid()
            form.add_error(None, refusal)
            status = 403
        elif form.is_valid():
            try:
                thread = services.thread_create(
                    author=request.user, category=found, **form.cleaned_data
                )
            except (ValidationError, services.Refused) as error:
                _add_errors(form, error)
            else:
                _after_posting(request, thread.posts.get(number=1), found.space)
                return redirect("forums:thread", pk=thread.pk)
        status = status if status != 200 else 400
    return render(
        request, "forums/thread_form.html",
        {"category": found, "form": form, "refusal": refusal}, status=status,
    )


@login_required
def thread_detail(request, pk: int, reply_form=None, status=200):
    thread = selectors.thread_for(request.user, pk)
    view = selectors.thread_page(request.user, thread, request.GET.get("page"))
    if view.posts:
        services.thread_mark_read(
            thread=thread, user=request.user, up_to=view.posts[-1].post.number,
            known=view.last_read_number,
        )
    space = thread.category.space
    can_moderate = permissions.can_moderate(request.user, space)
    quote = request.GET.get("quote", "")
    posts = render_fragment(request, "forums/posts.jinja", {
        "thread": thread, "view": view, "can_moderate": can_moderate, "user": request.user})
    return render(
        request, "forums/thread_detail.html",
        {
            "thread": thread, "view": view, "can_moderate": can_moderate, "posts": posts,
            "reply_refusal": permissions.reply_refusal(request.user, thread),
            "reply_form": reply_form or ReplyForm(initial={"quote": quote} if quote else None),
            "quoted": _quoted(request.user, thread, quote),
        },
        status=status,
    )


def _quoted(user, thread, quote_id) -> Post | None:
    quote_pk = parse_id(quote_id)
    if quote_pk is None:
        return None
    return Post.objects.filter(
        pk=quote_pk, thread=thread, status=ContentStatus.PUBLISHED
    ).select_related("author").first()


@login_required
@require_POST
def reply(request, pk: int):
    thread = selectors.thread_for(request.user, pk)
    form = ReplyForm(request.POST)
    refusal = permissions.reply_refusal(request.user, thread)
    if refusal:
        form.is_valid()
        form.add_error(None, refusal)
        return thread_detail(request, pk, reply_form=form, status=403)
    if form.is_valid():
        quoted = _quoted(request.user, thread, form.cleaned_data.get("quote"))
        try:
            post = services.post_create(
                author=request.user, thread=thread, body=form.cleaned_data["body"],
                quoted=quoted, ask_for_check=form.cleaned_data["ask_for_check"],
            )
        except (ValidationError, services.Refused) as error:
            _add_errors(form, error)
        else:
            _after_posting(request, post, thread.category.space)
            return redirect(_back_to(post))
    return thread_detail(request, pk, reply_form=form, status=400)


@login_required
def post_redirect(request, pk: int):
    post = _post_for(request.user, pk)
    page, number = selectors.post_location(request.user, post)
    return redirect(f"{reverse('forums:thread', kwargs={'pk': post.thread_id})}?page={page}"
                    f"#post-{number}")


@login_required
def first_unread(request, pk: int):
    thread = selectors.thread_for(request.user, pk)
    page, number = selectors.first_unread_location(request.user, thread)
    return redirect(f"{reverse('forums:thread', kwargs={'pk': thread.pk})}?page={page}"
                    f"#post-{number}")


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk: int):
    post = _post_for(request.user, pk)
    form = EditForm(request.POST or None, initial={"body": post.body})
    refusal = permissions.edit_refusal(request.user, post, timezone.now())
    if refusal and request.method == "GET":
        raise PermissionDenied(refusal)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.post_edit(post=post, editor=request.user, body=form.cleaned_data["body"])
            except (ValidationError, services.Refused) as error:
                _add_errors(form, error)
            else:
                return redirect(_back_to(post))
        status = 403 if refusal else 400
    else:
        status = 200
    return render(request, "forums/post_edit.html", {"post": post, "form": form}, status=status)


@login_required
@require_POST
def post_remove(request, pk: int):
    post = _post_for(request.user, pk)
    try:
        services.post_remove(post=post, user=request.user)
    except services.Refused as refusal:
        raise PermissionDenied(str(refusal)) from refusal
    messages.success(request, "Your post was removed. Replies to it stay in the thread.")
    return redirect(_back_to(post))


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def post_react(request, pk: int):
    post = _post_for(request.user, pk)
    kind = request.POST.get("kind", "")
    try:
        active = services.reaction_toggle(post=post, user=request.user, kind=kind)
    except ValidationError as error:
        return _refuse(request, post, " ".join(error.messages), 400)
    except services.Refused as refusal:
        return _refuse(request, post, str(refusal), 403)
    if _wants_json(request):
        count = Reaction.objects.filter(post=post, kind=kind).count()
        return JsonResponse({"kind": kind, "active": active, "count": count})
    return redirect(_back_to(post))


def _refuse(request, post, message: str, status: int):
    if _wants_json(request):
        return JsonResponse({"error": message}, status=status)
    messages.error(request, message)
    response = redirect(_back_to(post))
    return response


@login_required
@require_POST
def post_bookmark(request, pk: int):
    post = _post_for(request.user, pk)
    try:
        saved = services.bookmark_toggle(post=post, user=request.user)
    except services.Refused as refusal:
        raise Http404 from refusal
    messages.success(request, "Saved." if saved else "Removed from your saved posts.")
    return redirect(_back_to(post))


@login_required
def post_history(request, pk: int):
    post = _post_to_moderate(request.user, pk)
    return render(request, "forums/post_history.html",
                  {"post": post, "revisions": post.revisions.all()})


@login_required
@require_http_methods(["GET", "POST"])
def post_hide(request, pk: int):
    post = _post_to_moderate(request.user, pk)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.post_hide(post=post, moderator=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, "The post is hidden and its author has been told why.")
        return redirect(_back_to(post))
    status = 400 if request.method == "POST" else 200
    return render(request, "forums/post_hide.html", {"post": post, "form": form}, status=status)


@login_required
@require_POST
def post_approve(request, pk: int):
    post = _post_to_moderate(request.user, pk)
    services.post_approve(post=post, moderator=request.user)
    messages.success(request, "Approved: the post is now published.")
    return redirect(_back_to(post))


@login_required
@require_POST
def thread_follow(request, pk: int):
    thread = selectors.thread_for(request.user, pk)
    following = request.POST.get("following") == "1"
    services.subscription_set(thread=thread, user=request.user, following=following)
    messages.success(request, "You're following this thread." if following
                     else "You've stopped following this thread.")
    return redirect("forums:thread", pk=thread.pk)


def _move_targets(user):
    """Categories in every space this person moderates: admins can move threads anywhere."""
    return Category.objects.filter(space__in=core.moderated_spaces(user))


@login_required
@require_http_methods(["GET", "POST"])
def thread_moderate(request, pk: int, action: str):
    thread = selectors.thread_for(request.user, pk)
    moderator = request.user
    if request.method == "GET":
        if action != "move":
            raise Http404
        if not permissions.can_moderate(moderator, thread.category.space):
            raise PermissionDenied("This is for the moderating team of this space.")
        return render(request, "forums/thread_move.html",
                      {"thread": thread, "form": MoveForm(categories=_move_targets(moderator))})
    if action in ("lock", "unlock"):
        services.thread_lock(thread=thread, moderator=moderator, locked=action == "lock")
    elif action in ("pin", "unpin"):
        services.thread_pin(thread=thread, moderator=moderator, pinned=action == "pin")
    elif action == "move":
        form = MoveForm(request.POST, categories=_move_targets(moderator))
        if not form.is_valid():
            messages.error(request, "Choose a category in this space.")
            return redirect("forums:thread", pk=thread.pk)
        services.thread_move(thread=thread, moderator=moderator,
                             category=form.cleaned_data["category"])
    else:
        raise Http404
    messages.success(request, "Done.")
    return redirect("forums:thread", pk=thread.pk)


@login_required
def search(request):
    query = request.GET.get("q", "")
    threads, posts = selectors.search(request.user, query)
    return render(request, "forums/search.html",
                  {"query": query, "threads": threads, "posts": posts})


@login_required
def saved(request):
    return render(request, "forums/saved.html",
                  {"bookmarks": selectors.bookmarks_for(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def filters(request):
    mute_form = MuteForm(request.POST if "mute" in request.POST else None)
    ignore_form = IgnoreForm(request.POST if "ignore" in request.POST else None)
    status = 200
    if request.method == "POST":
        try:
            if "mute" in request.POST and mute_form.is_valid():
                services.muted_word_add(user=request.user, **mute_form.cleaned_data)
                return redirect("forums:filters")
            if "ignore" in request.POST and ignore_form.is_valid():
                ignored = User.objects.filter(
                    display_name__iexact=ignore_form.cleaned_data["display_name"].strip(),
                    is_active=True,
                ).first()
                if ignored is None:
                    ignore_form.add_error("display_name", "Nobody has that display name.")
                else:
                    services.member_ignore(user=request.user, ignored=ignored)
                    return redirect("forums:filters")
            if "unmute" in request.POST:
                services.muted_word_remove(user=request.user,
                                           muted_id=_int(request.POST["unmute"]))
                return redirect("forums:filters")
            if "unignore" in request.POST:
                services.member_unignore(user=request.user,
                                         ignored_id=_int(request.POST["unignore"]))
                return redirect("forums:filters")
        except ValidationError as error:
            _add_errors(mute_form if "mute" in request.POST else ignore_form, error)
        status = 400
    return render(
        request, "forums/filters.html",
        {
            "mute_form": mute_form, "ignore_form": ignore_form,
            "mutes": MutedWord.objects.filter(user=request.user),
            "ignored": IgnoredMember.objects.filter(user=request.user).select_related("ignored"),
            "themes": THEMES,
        },
        status=status,
    )


def _int(value) -> int:
    number = parse_id(value)
    if number is None:
        raise Http404
    return number

