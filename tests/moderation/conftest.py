import pytest

from forums import services as forum_services
from forums.models import Category


@pytest.fixture
def staying_well(talking):
    return Category.objects.create(space=talking, name="Staying well", slug="staying-well")


@pytest.fixture
def held_post(people, staying_well, settings):
    """A new member's first post, held for a moderator."""
    settings.FORUMS_HOLD_FIRST_POSTS = 3
    thread = forum_services.thread_create(author=people["member"], category=staying_well,
                                          title="Hello", body="My first words here")
    return thread.posts.get()


@pytest.fixture
def published_post(people, staying_well, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    thread = forum_services.thread_create(author=people["member"], category=staying_well,
                                          title="Walks", body="A walk by the river helps")
    return thread.posts.get()
