"""The core's pages and forms for every role (their rows are in tests/authorisation.py, with
the rest of the policy), and the Urgent help link on each page.

`test_every_page_and_form_action_is_in_the_matrix` makes sure a new page or form cannot be added
without saying who may use it.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from community import services
from community.models import Invitation
from tests.authorisation import COMMUNITY, ROLES, assert_matrix_response, every_page_row, fill
from tests.html import has_urgent_help_link


@pytest.fixture
def objects(people, talking):
    invitation, code = services.invitation_create(
        created_by=people["clinician"], role="member", spaces=[talking]
    )
    return {"code": code, "invitation": invitation.pk, "member": people["member"].pk}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "kwargs", "data", "expected"), COMMUNITY,
    ids=[f"{name}-{method}-{'-'.join(map(str, kwargs.values()))}"
         for name, method, kwargs, *_ in COMMUNITY],
)
def test_page_matrix(client_for, people, objects, role, name, method, kwargs, data, expected):
    client = client_for(people.get(role))
    url = reverse(name, kwargs=fill(kwargs, objects))
    response = getattr(client, method)(url, data)

    assert_matrix_response(response, expected[role], role, f"{method.upper()} {url}")


def test_admin_sign_in_page_has_the_urgent_help_link(client):
    assert has_urgent_help_link(client.get(reverse("admin:login")))


def _named_routes(resolver, namespace=""):
    """(route name, view) for every named route outside the admin site."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _named_routes(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern.callback


def _methods(view) -> set[str]:
    """The methods a view answers: a class-based view's handlers, or the list given to
    `require_http_methods` somewhere down its decorators (GET alone when there is none)."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return {m for m in ("get", "post")
                if m in view_class.http_method_names and hasattr(view_class, m)}
    while view is not None:
        closure = dict(zip(view.__code__.co_freevars,
                           (cell.cell_contents for cell in view.__closure__ or ()), strict=True))
        if "request_method_list" in closure:
            return {m.lower() for m in closure["request_method_list"]} & {"get", "post"}
        view = getattr(view, "__wrapped__", None)
    return {"get"}


def test_every_page_and_form_action_is_in_the_matrix():
    """Each method a route answers, GET for the page and POST for its form, has a row."""
    in_matrix = {(name, method) for name, method, *_ in every_page_row()}
    answered = {(name, method) for name, view in _named_routes(get_resolver())
                for method in _methods(view)}
    missing = answered - in_matrix
    assert not missing, f"no row in the permission matrix for: {sorted(missing)}"


def test_the_method_finder_sees_decorated_and_class_based_views():
    views = dict(_named_routes(get_resolver()))
    assert _methods(views["invitation_revoke"]) == {"post"}
    assert _methods(views["invitation_create"]) == {"get", "post"}
    assert _methods(views["home"]) == {"get"}
    assert _methods(views["login"]) == {"get", "post"}


def test_revoking_through_the_page_revokes(client_for, people, objects):
    response = client_for(people["clinician"]).post(
        reverse("invitation_revoke", kwargs={"pk": objects["invitation"]})
    )
    assert response.status_code == 302
    assert Invitation.objects.get(pk=objects["invitation"]).status == Invitation.Status.REVOKED
