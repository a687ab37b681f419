"""The permission matrix of every forum page and action, for every role."""

import pytest
from django.urls import reverse

from forums import services
from tests.community.test_pages import ROLES, SIGN_IN, TALKING_ENTRY, row
from tests.html import has_urgent_help_link

TEAM = dict(peer_supporter=302, volunteer=302, clinician=302, admin=302)
TALKING_ACT = row(anonymous=SIGN_IN, member=302, **TEAM, others=404)
TEAM_PAGE = row(anonymous=SIGN_IN, member=403, peer_supporter=200, volunteer=200, clinician=200,
                admin=200, others=404)
TEAM_ACT = row(anonymous=SIGN_IN, member=403, **TEAM, others=404)
AUTHOR_PAGE = row(anonymous=SIGN_IN, member=403, peer_supporter=200, volunteer=403,
                  clinician=403, admin=403, others=404)
AUTHOR_ACT = row(anonymous=SIGN_IN, member=403, peer_supporter=302, volunteer=403,
                 clinician=403, admin=403, others=404)
SIGNED_IN_200 = row(anonymous=SIGN_IN, others=200)

MATRIX = [
    ("forums:index", "get", {}, {}, SIGNED_IN_200),
    ("forums:search", "get", {}, {"q": "walk"}, SIGNED_IN_200),
    ("forums:saved", "get", {}, {}, SIGNED_IN_200),
    ("forums:filters", "get", {}, {}, SIGNED_IN_200),
    ("forums:category", "get", {"space_slug": "talking-therapies",
                                 "category_slug": "staying-well"}, {}, TALKING_ENTRY),
    ("forums:category", "get", {"space_slug": "relatives-and-carers",
                                 "category_slug": "carers-corner"}, {},
     row(anonymous=SIGN_IN, carer=200, clinician=200, admin=200, others=404)),
    ("forums:new_thread", "get", {"space_slug": "talking-therapies",
                                   "category_slug": "staying-well"}, {}, TALKING_ENTRY),
    ("forums:thread", "get", {"pk": "<thread>"}, {}, TALKING_ENTRY),
    ("forums:first_unread", "get", {"pk": "<thread>"}, {}, TALKING_ACT),
    ("forums:reply", "post", {"pk": "<thread>"}, {"body": "Hello"}, TALKING_ACT),
    ("forums:follow", "post", {"pk": "<thread>"}, {"following": "1"}, TALKING_ACT),
    ("forums:moderate_thread", "post", {"pk": "<thread>", "action": "lock"}, {}, TEAM_ACT),
    ("forums:moderate_thread", "get", {"pk": "<thread>", "action": "move"}, {}, TEAM_PAGE),
    ("forums:post", "get", {"pk": "<post>"}, {}, TALKING_ACT),
    ("forums:edit", "get", {"pk": "<post>"}, {}, AUTHOR_PAGE),
    ("forums:remove", "post", {"pk": "<post>"}, {}, AUTHOR_ACT),
    ("forums:react", "post", {"pk": "<post>"}, {"kind": "relate"}, TALKING_ACT),
    ("forums:bookmark", "post", {"pk": "<post>"}, {}, TALKING_ACT),
    ("forums:history", "get", {"pk": "<post>"}, {}, TEAM_PAGE),
    ("forums:hide", "get", {"pk": "<post>"}, {}, TEAM_PAGE),
    ("forums:approve", "post", {"pk": "<post>"}, {}, TEAM_ACT),
]


@pytest.fixture
def objects(people, forum, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    thread = services.thread_create(author=people["peer_supporter"],
                                    category=forum["staying_well"], title="Walks",
                                    body="A walk helps")
    return {"thread": thread.pk, "post": thread.posts.get().pk}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "kwargs", "data", "expected"), MATRIX,
    ids=[f"{name}-{'-'.join(map(str, kwargs.values()))}" for name, _, kwargs, _, _ in MATRIX],
)
def test_forum_page_matrix(client_for, people, objects, role, name, method, kwargs, data,
                           expected):
    filled = {k: objects[v.strip("<>")] if str(v).startswith("<") else v
              for k, v in kwargs.items()}
    url = reverse(name, kwargs=filled)
    response = getattr(client_for(people.get(role)), method)(url, data)
    if expected[role] == SIGN_IN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected[role], f"{role} {method.upper()} {url}"
        if response.status_code == 302:
            assert not response.url.startswith(reverse("login"))
    if response.status_code != 302:
        assert has_urgent_help_link(response), f"no Urgent help link on {url} for {role}"
