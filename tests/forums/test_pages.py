"""The permission matrix of every forum page and action, for every role."""

import pytest
from django.urls import reverse

from forums import services
from tests.community.test_pages import (
    ROLES,
    SIGN_IN,
    TALKING_ENTRY,
    assert_matrix_response,
    row,
)

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
CARERS_ENTRY = row(anonymous=SIGN_IN, carer=200, clinician=200, admin=200, others=404)
CARERS_ACT = row(anonymous=SIGN_IN, carer=302, clinician=302, admin=302, others=404)
# A form sent empty: its errors (400) for whoever may use it, the door for everyone else.
TALKING_FORM = row(anonymous=SIGN_IN, member=400, peer_supporter=400, volunteer=400,
                   clinician=400, admin=400, others=404)
TEAM_FORM = row(anonymous=SIGN_IN, member=403, peer_supporter=400, volunteer=400, clinician=400,
                admin=400, others=404)

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
    ("forums:new_thread", "post", {"space_slug": "talking-therapies",
                                    "category_slug": "staying-well"}, {}, TALKING_FORM),
    ("forums:edit", "post", {"pk": "<post>"}, {}, {**AUTHOR_PAGE, "peer_supporter": 400}),
    ("forums:hide", "post", {"pk": "<post>"}, {}, TEAM_FORM),
    ("forums:filters", "post", {}, {}, row(anonymous=SIGN_IN, others=400)),
    # The neighbouring ids: a thread and post in the carers' space (id+1), and an id that names
    # nothing (id-1). Without the key they do not exist: 404, whatever the action.
    ("forums:thread", "get", {"pk": "<carers_thread>"}, {}, CARERS_ENTRY),
    ("forums:reply", "post", {"pk": "<carers_thread>"}, {"body": "Hello"}, CARERS_ACT),
    ("forums:follow", "post", {"pk": "<carers_thread>"}, {"following": "1"}, CARERS_ACT),
    ("forums:post", "get", {"pk": "<carers_post>"}, {}, CARERS_ACT),
    ("forums:react", "post", {"pk": "<carers_post>"}, {"kind": "relate"}, CARERS_ACT),
    ("forums:edit", "get", {"pk": "<carers_post>"},
     {}, row(anonymous=SIGN_IN, carer=200, clinician=403, admin=403, others=404)),
    ("forums:hide", "get", {"pk": "<carers_post>"},
     {}, row(anonymous=SIGN_IN, carer=403, clinician=200, admin=200, others=404)),
    ("forums:approve", "post", {"pk": "<carers_post>"},
     {}, row(anonymous=SIGN_IN, carer=403, clinician=302, admin=302, others=404)),
    ("forums:new_thread", "post", {"space_slug": "relatives-and-carers",
                                    "category_slug": "carers-corner"}, {},
     row(anonymous=SIGN_IN, carer=400, clinician=400, admin=400, others=404)),
    ("forums:edit", "post", {"pk": "<carers_post>"},
     {}, row(anonymous=SIGN_IN, carer=400, clinician=403, admin=403, others=404)),
    ("forums:hide", "post", {"pk": "<carers_post>"},
     {}, row(anonymous=SIGN_IN, carer=403, clinician=400, admin=400, others=404)),
    ("forums:thread", "get", {"pk": "<missing_thread>"}, {}, row(anonymous=SIGN_IN, others=404)),
    ("forums:post", "get", {"pk": "<missing_post>"}, {}, row(anonymous=SIGN_IN, others=404)),
]


@pytest.fixture
def objects(people, forum, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    thread = services.thread_create(author=people["peer_supporter"],
                                    category=forum["staying_well"], title="Walks",
                                    body="A walk helps")
    carers_thread = services.thread_create(author=people["carer"],
                                           category=forum["carers_corner"], title="Evenings",
                                           body="Evenings are hard")
    assert carers_thread.pk == thread.pk + 1
    post = thread.posts.get().pk
    return {"thread": thread.pk, "post": post, "carers_thread": carers_thread.pk,
            "carers_post": carers_thread.posts.get().pk, "missing_thread": thread.pk - 1,
            "missing_post": post - 1}


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
    assert_matrix_response(response, expected[role], role, f"{method.upper()} {url}")
