"""The permission matrix of every forum page and action, for every role."""

import pytest
from django.urls import reverse

from forums import services
from tests.authorisation import FORUMS, ROLES, assert_matrix_response, fill


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
    ("name", "method", "kwargs", "data", "expected"), FORUMS,
    ids=[f"{name}-{'-'.join(map(str, kwargs.values()))}" for name, _, kwargs, _, _ in FORUMS],
)
def test_forum_page_matrix(client_for, people, objects, role, name, method, kwargs, data,
                           expected):
    url = reverse(name, kwargs=fill(kwargs, objects))
    response = getattr(client_for(people.get(role)), method)(url, data)
    assert_matrix_response(response, expected[role], role, f"{method.upper()} {url}")
