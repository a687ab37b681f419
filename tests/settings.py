"""Settings for the test suite: Harbour's own, in development mode, unless the environment says
otherwise (CI sets DATABASE_URL and REDIS_URL)."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")

from community.settings import *  # noqa: E402,F403

# Fast hashing: the suite creates many accounts. Production keeps Django's default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
