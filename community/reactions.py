"""The reactions members can give, the same in the forums and on the Wall (no dislikes)."""

from django.db import models


class ReactionKind(models.TextChoices):
    RELATE = "relate", "I relate"
    THANKS = "thanks", "Thank you"
    SUPPORT = "support", "Sending support"
