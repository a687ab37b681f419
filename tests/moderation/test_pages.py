"""Every moderation page and action for every role; the team needs a second factor."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from moderation import services
from moderation.models import ReviewItem
from tests.authorisation import MODERATION, ROLES, assert_matrix_response, fill


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


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "kwargs", "data", "expected"), MODERATION,
    ids=[f"{name}-{method}" for name, method, *_ in MODERATION],
)
def test_moderation_page_matrix(client_for, people, objects, role, name, method, kwargs, data,
                                expected):
    url = reverse(name, kwargs=fill(kwargs, objects))
    data = dict(data)
    if "?" in data:  # a form whose subject is named in its address, as the report form's is
        url += "?" + urlencode(fill(data.pop("?"), objects))
    response = getattr(client_for(people.get(role)), method)(url, fill(data, objects))
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
