"""The permission matrix of every page, for every role, and the Urgent help link on each page.

One table states the policy; `test_every_page_and_form_action_is_in_the_matrix` makes sure a new
page or form cannot be added without saying who may use it.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from community import services
from community.models import Invitation
from tests.html import has_urgent_help_link

ROLES = (
    "anonymous", "member", "member_without_key", "carer", "peer_supporter", "volunteer",
    "clinician", "admin", "suspended",
)
SIGN_IN = "sign-in"  # a redirect to the sign-in page
# A suspended member sees why, with support contacts, whatever they open: a GET is sent to the
# explanation page, a POST answered with it (403), with what they had typed shown back.
PAUSED = "paused"


def row(**statuses):
    """Expected status per role; `others` fills the roles not named. A suspended member is
    PAUSED everywhere unless the row says otherwise (the few pages that stay open to them)."""
    others = statuses.pop("others", None)
    statuses.setdefault("suspended", PAUSED)
    return {role: statuses.get(role, others) for role in ROLES}


EVERYONE_200 = row(others=200)
# Open even to a suspended member: help must never be out of reach.
OPEN_TO_ALL = row(others=200, suspended=200)
SIGNED_IN_200 = row(anonymous=SIGN_IN, others=200)
INVITERS_ONLY = row(anonymous=SIGN_IN, clinician=200, admin=200, others=403)
TALKING_ENTRY = row(
    anonymous=SIGN_IN, member=200, peer_supporter=200, volunteer=200, clinician=200, admin=200,
    others=404,
)
CARERS_ENTRY = row(anonymous=SIGN_IN, carer=200, clinician=200, admin=200, others=404)
TALKING_KEYS = row(
    anonymous=SIGN_IN, member=403, peer_supporter=403, volunteer=403, clinician=200, admin=200,
    others=404,
)

# (name, method, url arguments, expected statuses). Arguments in angle brackets are filled from
# the objects of the test below.
MATRIX = [
    ("home", "get", {}, EVERYONE_200),
    ("urgent_help", "get", {}, OPEN_TO_ALL),
    ("community_agreement", "get", {}, OPEN_TO_ALL),
    ("login", "get", {}, row(anonymous=200, others=302)),
    ("logout", "post", {}, row(others=302, suspended=302)),
    ("password_change", "get", {}, SIGNED_IN_200),
    ("password_change_done", "get", {}, SIGNED_IN_200),
    ("password_reset", "get", {}, EVERYONE_200),
    ("password_reset_done", "get", {}, EVERYONE_200),
    ("password_reset_confirm", "get", {"uidb64": "MQ", "token": "set-password"}, EVERYONE_200),
    ("password_reset_complete", "get", {}, EVERYONE_200),
    ("join_start", "get", {}, EVERYONE_200),
    ("join", "get", {"code": "<code>"}, EVERYONE_200),
    ("join_confirm", "get", {"token": "not-a-real-token"}, row(others=400)),
    ("invitation_list", "get", {}, INVITERS_ONLY),
    ("invitation_create", "get", {}, INVITERS_ONLY),
    (
        "invitation_revoke", "post", {"pk": "<invitation>"},
        row(anonymous=SIGN_IN, clinician=302, admin=302, others=404),
    ),
    ("space_detail", "get", {"slug": "talking-therapies"}, TALKING_ENTRY),
    ("space_detail", "get", {"slug": "relatives-and-carers"}, CARERS_ENTRY),
    ("space_detail", "get", {"slug": "no-such-space"}, row(anonymous=SIGN_IN, others=404)),
    ("space_keys", "get", {"slug": "talking-therapies"}, TALKING_KEYS),
    ("space_keys", "get", {"slug": "relatives-and-carers"},
     row(anonymous=SIGN_IN, carer=403, clinician=200, admin=200, others=404)),
    (
        "space_key_revoke", "post", {"slug": "talking-therapies", "user_id": "<member>"},
        {**TALKING_KEYS, "clinician": 302, "admin": 302},
    ),
    ("admin:index", "get", {}, row(admin=200, others=302)),
    ("notifications", "get", {}, SIGNED_IN_200),
    ("staying_well_plan", "get", {}, SIGNED_IN_200),
    ("safety_plan", "get", {}, SIGNED_IN_200),
    ("take_a_break", "get", {}, SIGNED_IN_200),
    ("signed_in_sessions", "get", {}, SIGNED_IN_200),
    ("my_data", "get", {}, SIGNED_IN_200),
    ("my_data_download", "get", {}, SIGNED_IN_200),
    ("delete_account", "get", {}, SIGNED_IN_200),
    ("notification_settings", "get", {}, SIGNED_IN_200),
    # The forms behind those pages, sent empty: whoever may use one is answered with the form
    # and its errors (200 or 400) or sent on (302); nobody else gets past the door.
    ("login", "post", {}, row(anonymous=200, others=302)),
    ("password_change", "post", {}, SIGNED_IN_200),
    ("password_reset", "post", {}, EVERYONE_200),
    ("password_reset_confirm", "post", {"uidb64": "MQ", "token": "set-password"},
     EVERYONE_200),
    ("join_start", "post", {}, EVERYONE_200),
    ("join", "post", {"code": "<code>"}, row(anonymous=400, others=200)),
    ("invitation_create", "post", {}, {**INVITERS_ONLY, "clinician": 400, "admin": 400}),
    ("space_keys", "post", {"slug": "talking-therapies"},
     {**TALKING_KEYS, "clinician": 400, "admin": 400}),
    ("space_keys", "post", {"slug": "relatives-and-carers"},
     row(anonymous=SIGN_IN, carer=403, clinician=400, admin=400, others=404)),
    ("notification_settings", "post", {}, SIGNED_IN_200),
    ("staying_well_plan", "post", {}, row(anonymous=SIGN_IN, others=302)),
    ("safety_plan", "post", {}, SIGNED_IN_200),
    ("take_a_break", "post", {}, SIGNED_IN_200),
    ("signed_in_sessions", "post", {}, row(anonymous=SIGN_IN, others=302)),
    ("delete_account", "post", {}, SIGNED_IN_200),
]


def assert_matrix_response(response, expected_status, role: str, url: str) -> None:
    """One row of a permission matrix: the status expected for the role (or a redirect to
    signing in), and the Urgent help link on every HTML page shown."""
    if expected_status == SIGN_IN:
        assert response.status_code == 302, f"{role} {url}"
        assert response.url.startswith(reverse("login"))
    elif expected_status == PAUSED and response.request["REQUEST_METHOD"] == "GET":
        assert response.status_code == 302, f"{role} {url}"
        assert response.url == reverse("moderation:paused"), f"{role} {url}"
    elif expected_status == PAUSED:
        assert response.status_code == 403, f"{role} {url}"
        assert "Your account is paused" in response.content.decode()
    else:
        assert response.status_code == expected_status, f"{role} {url}"
        if response.status_code == 302:
            assert not response.url.startswith(reverse("login")), f"{role} {url}"
    if response.status_code != 302 and response["Content-Type"].startswith("text/html"):
        assert has_urgent_help_link(response), f"no Urgent help link on {url} for {role}"


def _fill(kwargs: dict, objects: dict) -> dict:
    return {
        key: objects[value.strip("<>")] if str(value).startswith("<") else value
        for key, value in kwargs.items()
    }


@pytest.fixture
def objects(people, talking):
    invitation, code = services.invitation_create(
        created_by=people["clinician"], role="member", spaces=[talking]
    )
    return {"code": code, "invitation": invitation.pk, "member": people["member"].pk}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "kwargs", "expected"), MATRIX,
    ids=[f"{name}-{'-'.join(map(str, kwargs.values()))}" for name, _, kwargs, _ in MATRIX],
)
def test_page_matrix(client_for, people, objects, role, name, method, kwargs, expected):
    client = client_for(people.get(role))
    url = reverse(name, kwargs=_fill(kwargs, objects))
    response = getattr(client, method)(url)

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
                           (cell.cell_contents for cell in view.__closure__ or ())))
        if "request_method_list" in closure:
            return {m.lower() for m in closure["request_method_list"]} & {"get", "post"}
        view = getattr(view, "__wrapped__", None)
    return {"get"}


def every_matrix_row():
    from tests.community.test_library import MATRIX as LIBRARY_MATRIX
    from tests.community.test_stories import MATRIX as STORY_MATRIX
    from tests.forums.test_pages import MATRIX as FORUMS_MATRIX
    from tests.moderation.test_pages import MATRIX as MODERATION_MATRIX
    from tests.wall.test_pages import MATRIX as WALL_MATRIX

    return (MATRIX + FORUMS_MATRIX + MODERATION_MATRIX + WALL_MATRIX + LIBRARY_MATRIX
            + STORY_MATRIX)


def test_every_page_and_form_action_is_in_the_matrix():
    """Each method a route answers, GET for the page and POST for its form, has a row."""
    in_matrix = {(name, method) for name, method, *_ in every_matrix_row()}
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
