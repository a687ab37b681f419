import pytest

from forums import services
from forums.models import Category, Post
from moderation.models import ContentStatus


@pytest.fixture
def forum(talking, carers_space):
    return {
        "staying_well": Category.objects.create(space=talking, name="Staying well",
                                                slug="staying-well"),
        "good_news": Category.objects.create(space=talking, name="Good news", slug="good-news"),
        "carers_corner": Category.objects.create(space=carers_space, name="Carers' corner",
                                                 slug="carers-corner"),
    }


@pytest.fixture
def established(people, settings):
    """Members past their first held posts, so what they write is published at once."""
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    return people


@pytest.fixture
def thread(established, forum):
    return services.thread_create(
        author=established["peer_supporter"], category=forum["staying_well"],
        title="What helps on a low day?", body="For me it's a walk by the river.",
    )


def add_replies(thread, author, count: int) -> list[Post]:
    return [
        services.post_create(author=author, thread=thread, body=f"Reply number {n}")
        for n in range(count)
    ]


def published(post: Post) -> bool:
    post.refresh_from_db()
    return post.status == ContentStatus.PUBLISHED
