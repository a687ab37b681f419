"""Forum text passes the moderation app's single screening call."""

from forums import services
from moderation.models import ContentStatus
from moderation.screening import screen


def test_forum_posts_go_through_screening(established, forum, monkeypatch):
    """Forums call the moderation app's screen() for titles and bodies, and store its verdict."""
    seen = []

    def fake_screen(*, author, space, texts, hold_because=""):
        seen.append(texts)
        return screen(author=author, space=space, texts=texts, hold_because="Checked by test")

    monkeypatch.setattr(services, "screen", fake_screen)
    thread = services.thread_create(author=established["member"],
                                    category=forum["staying_well"], title="My title",
                                    body="My body")
    assert seen == [["My title", "My body"]]
    assert thread.status == ContentStatus.HELD
    assert thread.posts.get().held_because == "Checked by test"
