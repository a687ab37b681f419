"""The one screening call all member text passes. Until the risk check lands it publishes
everything, except what the writer or the content app asks to hold."""

import pytest

from moderation.models import ContentStatus
from moderation.screening import HELD_ASKED, screen


@pytest.mark.parametrize("text", ["Hello all", "", "A much longer post " * 100])
def test_screening_publishes_by_default(people, talking, text):
    result = screen(author=people["member"], space=talking, texts=[text])
    assert result.status == ContentStatus.PUBLISHED
    assert not result.held


def test_screening_holds_when_asked_and_says_why(people, talking):
    result = screen(author=people["member"], space=talking, texts=["x"], hold_because=HELD_ASKED)
    assert result.status == ContentStatus.HELD and result.held
    assert result.held_because == HELD_ASKED
