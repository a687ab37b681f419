"""Every moderation page and action for every role; the team needs a second factor."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from moderation import services
from moderation.models import ReviewItem
from tests.community.test_pages import ROLES, SIGN_IN, assert_matrix_response, row

TEAM_PAGE = row(anonymous=SIGN_IN, peer_supporter=200, volunteer=200, clinician=200, admin=200,
                others=403)
TEAM_ACT = row(anonymous=SIGN_IN, peer_supporter=302, volunteer=302, clinician=302, admin=302,
               others=403)
SIGNED_IN_200 = row(anonymous=SIGN_IN, others=200)
OTHER_SPACE_PAGE = row(anonymous=SIGN_IN, peer_supporter=404, volunteer=404, clinician=200,
                       admin=200, others=403)

MATRIX = [
    ("moderation:queue", "get", {}, {}, TEAM_PAGE),
    ("moderation:item", "get", {"pk": "<item>"}, {},
     {**TEAM_PAGE, "carer": 403, "member_without_key": 403}),
    ("moderation:item", "post", {"pk": "<item>"}, {"action": "claim"}, TEAM_ACT),
    ("moderation:escalate", "post", {"pk": "<item>"}, {"what_was_seen": "Worrying words"},
     TEAM_ACT),
    ("moderation:escalation", "get", {"pk": "<escalation>"}, {}, TEAM_PAGE),
    ("moderation:member", "get", {"pk": "<member>"}, {}, TEAM_PAGE),
    ("moderation:report", "get", {}, {"type": "forums.post", "id": "<post>"},
     row(anonymous=SIGN_IN, carer=404, member_without_key=404, others=200)),
    ("moderation:duty", "post", {"slug": "talking-therapies"}, {"on": "0"}, TEAM_ACT),
    ("moderation:risk_check", "post", {}, {"text": "hello"}, SIGNED_IN_200),
    ("moderation:paused", "get", {}, {}, row(anonymous=SIGN_IN, others=200, suspended=200)),
    ("moderation:audit", "get", {}, {}, row(anonymous=SIGN_IN, admin=200, others=403)),
    ("two_factor_verify", "get", {}, {}, SIGNED_IN_200),
    ("two_factor_setup", "get", {}, {}, SIGNED_IN_200),
    ("two_factor_verify", "post", {}, {}, SIGNED_IN_200),
    ("two_factor_setup", "post", {}, {}, SIGNED_IN_200),
    ("moderation:escalation", "post", {"pk": "<escalation>"},
     {"step": "1", "action": "messaged_member", "note": "Sent a message"}, TEAM_ACT),
    ("moderation:member", "post", {"pk": "<member>"}, {"action": "note", "text": "Seen today"},
     TEAM_ACT),
    ("moderation:report", "post", {}, {"?": {"type": "forums.post", "id": "<post>"},
                                       "reason": "spam"},
     # the member wrote the post: nobody can report themselves
     row(anonymous=SIGN_IN, carer=404, member_without_key=404, member=400, others=302)),
    # The carers' space, which the peer supporter and volunteer don't moderate: its queue item
    # (the neighbouring id) and a member only found there do not exist for them.
    ("moderation:item", "get", {"pk": "<carers_item>"}, {}, OTHER_SPACE_PAGE),
    ("moderation:item", "post", {"pk": "<carers_item>"}, {"action": "claim"},
     {**OTHER_SPACE_PAGE, "clinician": 302, "admin": 302}),
    ("moderation:member", "get", {"pk": "<carer>"}, {}, OTHER_SPACE_PAGE),
    ("moderation:member", "post", {"pk": "<carer>"}, {"action": "note", "text": "Seen today"},
     {**OTHER_SPACE_PAGE, "clinician": 302, "admin": 302}),
]


@pytest.fixture
def objects(people, published_post, carers_space):
    item = ReviewItem.objects.create(
        kind=ReviewItem.Kind.RISK, tier="medium", space=published_post.thread.category.space,
        target_type="forums.post", target_id=published_post.pk, member=people["member"],
        due_at=published_post.created_at,
    )
    escalation = services.escalation_open(item=item, moderator=people["clinician"],
                                          what_was_seen="Seen")
    carers_item = ReviewItem.objects.create(
        kind=ReviewItem.Kind.MEMBER, tier="low", space=carers_space, target_type="community.user",
        target_id=people["carer"].pk, member=people["carer"], due_at=published_post.created_at,
    )
    assert carers_item.pk == item.pk + 1
    return {"item": item.pk, "escalation": escalation.pk, "member": people["member"].pk,
            "post": published_post.pk, "carers_item": carers_item.pk, "carer": people["carer"].pk}


def _fill(values: dict, objects: dict) -> dict:
    return {k: objects[v.strip("<>")] if str(v).startswith("<") else v
            for k, v in values.items()}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "kwargs", "data", "expected"), MATRIX,
    ids=[f"{name}-{method}" for name, method, *_ in MATRIX],
)
def test_moderation_page_matrix(client_for, people, objects, role, name, method, kwargs, data,
                                expected):
    url = reverse(name, kwargs=_fill(kwargs, objects))
    data = dict(data)
    if "?" in data:  # a form whose subject is named in its address, as the report form's is
        url += "?" + urlencode(_fill(data.pop("?"), objects))
    response = getattr(client_for(people.get(role)), method)(url, _fill(data, objects))
    assert_matrix_response(response, expected[role], role, f"{method.upper()} {url}")


@pytest.mark.parametrize("role", ["peer_supporter", "volunteer", "clinician", "admin"])
def test_team_without_a_second_factor_is_sent_to_set_one_up(client_for, people, role):
    response = client_for(people[role], second_factor=False).get(reverse("moderation:queue"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_setup"))


def test_admin_site_needs_a_second_factor(client_for, people):
    response = client_for(people["admin"], second_factor=False).get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert client_for(people["admin"]).get(reverse("admin:index")).status_code == 200
