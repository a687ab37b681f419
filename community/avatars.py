"""The built-in illustrated avatars. Members pick one; photos are never uploaded."""

AVATARS = {
    "lighthouse": "Lighthouse",
    "sailboat": "Sailing boat",
    "anchor": "Anchor",
    "sun": "Sun",
    "moon": "Moon and stars",
    "wave": "Wave",
    "tree": "Tree",
    "leaf": "Leaf",
    "flower": "Flower",
    "bird": "Bird",
    "mountain": "Mountain",
    "shell": "Shell",
}
AVATAR_CHOICES = list(AVATARS.items())
DEFAULT_AVATAR = "lighthouse"
