"""Settings for the test suite: Harbour's own, in development mode, unless the environment says
otherwise (CI sets DATABASE_URL and REDIS_URL)."""

import os

# The suite always runs in development mode, whatever the shell says; the production-mode tests
# start their own processes with their own environment.
os.environ["DJANGO_DEBUG"] = "true"

from community.settings import *  # noqa: E402,F403

# Fast hashing: the suite creates many accounts. Production keeps Django's default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# On SQLite the test database is a file, so that server processes started by the tests (daphne,
# for the two-process Wall test) open the same database as the test itself. HARBOUR_TEST_DB names
# another file, so that two runs in one checkout don't share one.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    _test_db = os.environ.get("HARBOUR_TEST_DB", ".test-db.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / _test_db)}  # noqa: F405
