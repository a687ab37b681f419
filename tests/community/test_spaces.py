"""Keys and rooms: a space without a key does not exist for you."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from community import services
from community.models import AuditEntry, Key, Space
from tests.html import elements, parse, text_of, without_csrf


def listed_space_names(response):
    """Names linked to a space's home page (its Wall and other pages are linked separately)."""
    return {text_of(link) for link in elements(parse(response), "a")
            if re.fullmatch(r"/spaces/[^/]+/", link.get("href", ""))}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("member", {"Talking Therapies"}),
        ("member_without_key", set()),
        ("carer", {"Relatives and Carers"}),
        ("peer_supporter", {"Talking Therapies"}),
        ("volunteer", {"Talking Therapies"}),
        ("clinician", {"Talking Therapies", "Relatives and Carers"}),
        ("admin", {"Talking Therapies", "Relatives and Carers"}),
    ],
)
def test_home_lists_only_spaces_with_a_key(client_for, people, role, expected):
    response = client_for(people[role]).get(reverse("home"))
    assert listed_space_names(response) == expected
    hidden = {"Talking Therapies", "Relatives and Carers"} - expected
    page = response.content.decode()
    for name in hidden:
        assert name not in page


def test_a_space_without_a_key_looks_exactly_like_no_space(client_for, people):
    client = client_for(people["carer"])
    existing = client.get(reverse("space_detail", kwargs={"slug": "talking-therapies"}))
    missing = client.get(reverse("space_detail", kwargs={"slug": "no-such-space"}))
    assert existing.status_code == missing.status_code == 404
    assert without_csrf(existing) == without_csrf(missing)


def test_visible_to_follows_keys(people, talking, carers_space):
    assert list(Space.objects.visible_to(people["member"])) == [talking]
    assert not Space.objects.visible_to(people["member_without_key"]).exists()
    assert set(Space.objects.visible_to(people["admin"])) == {talking, carers_space}
    people["member"].is_active = False
    assert not Space.objects.visible_to(people["member"]).exists()


def test_space_page_shows_the_moderating_team(client_for, people):
    page = client_for(people["member"]).get(
        reverse("space_detail", kwargs={"slug": "talking-therapies"})
    ).content.decode()
    for name in ("Peer Skylark", "Volunteer Heron", "Dr Willow"):
        assert name in page
    assert "Kind Lantern" not in page


def test_clinician_gives_and_takes_a_key_and_both_are_audited(client_for, people, carers_space):
    client = client_for(people["clinician"])
    url = reverse("space_keys", kwargs={"slug": carers_space.slug})
    response = client.post(url, {"display_name": "lone gull"})
    assert response.status_code == 302
    newcomer = people["member_without_key"]
    assert client_for(newcomer).get(
        reverse("space_detail", kwargs={"slug": carers_space.slug})
    ).status_code == 200

    client.post(reverse("space_key_revoke", kwargs={"slug": carers_space.slug,
                                                     "user_id": newcomer.pk}))
    assert client_for(newcomer).get(
        reverse("space_detail", kwargs={"slug": carers_space.slug})
    ).status_code == 404
    actions = list(
        AuditEntry.objects.filter(target_id=str(newcomer.pk)).values_list("action", "actor")
    )
    assert sorted(actions) == [("key.grant", people["clinician"].pk),
                               ("key.revoke", people["clinician"].pk)]


def test_unknown_display_name_is_a_clear_error(client_for, people, talking):
    response = client_for(people["clinician"]).post(
        reverse("space_keys", kwargs={"slug": talking.slug}), {"display_name": "Nobody Here"}
    )
    assert response.status_code == 400
    assert "Nobody has that display name" in response.content.decode()
    assert 'value="Nobody Here"' in response.content.decode()


def test_only_admins_assign_the_moderating_team(people, talking, carers_space):
    with pytest.raises(PermissionDenied):
        services.key_grant(space=carers_space, user=people["peer_supporter"],
                           granted_by=people["clinician"], moderates=True)
    key = services.key_grant(space=carers_space, user=people["peer_supporter"],
                             granted_by=people["admin"], moderates=True)
    assert key.moderates
    with pytest.raises(ValidationError):
        services.key_grant(space=talking, user=people["member"], granted_by=people["admin"],
                           moderates=True)


def test_clinician_cannot_take_a_moderators_key(people, talking):
    with pytest.raises(PermissionDenied):
        services.key_revoke(space=talking, user=people["peer_supporter"],
                            revoked_by=people["clinician"])
    assert Key.objects.filter(user=people["peer_supporter"], space=talking).exists()


def test_members_cannot_give_keys(client_for, people, talking):
    response = client_for(people["member"]).post(
        reverse("space_keys", kwargs={"slug": talking.slug}), {"display_name": "Lone Gull"}
    )
    assert response.status_code == 403
    assert not Key.objects.filter(user=people["member_without_key"]).exists()


def test_key_page_shows_private_names_to_admins_only(client_for, people, talking):
    people["member"].first_name, people["member"].last_name = "Priya", "Ramanathan"
    people["member"].save()
    url = reverse("space_keys", kwargs={"slug": talking.slug})
    assert "Ramanathan" in client_for(people["admin"]).get(url).content.decode()
    assert "Ramanathan" not in client_for(people["clinician"]).get(url).content.decode()
