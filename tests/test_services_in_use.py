"""CI runs the suite against real PostgreSQL and Redis; elsewhere the embedded defaults apply.

This fails, rather than skips, when CI is set and a real service is not in use or not reachable.
"""

import os

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from tests.conftest import in_ci


def test_database_and_channel_layer_match_the_environment(db):
    if in_ci():
        assert connection.vendor == "postgresql", "CI must run against PostgreSQL"
        assert settings.CHANNEL_LAYERS["default"]["BACKEND"].startswith("channels_redis.")
        assert redis.Redis.from_url(settings.REDIS_URL).ping()
        cache.set("ci-probe", "ok", 10)
        assert cache.get("ci-probe") == "ok"
    elif os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert connection.vendor == "postgresql"
    else:
        assert connection.vendor == "sqlite"
        assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == (
            "channels.layers.InMemoryChannelLayer"
        )
