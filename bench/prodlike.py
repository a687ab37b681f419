"""Production-mode settings for the benchmark's servers: community.settings as a real site runs
it (DJANGO_DEBUG=false), except that plain HTTP on loopback is not redirected to HTTPS and
static files are found without collectstatic's manifest."""

from community.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
