"""Harbour settings.

Every value comes from an environment variable (documented in .env.example). With nothing set
Harbour refuses to start: choose development mode (DJANGO_DEBUG=true, which `make run` and
`make test` do) or give production settings. Development uses an SQLite file and in-memory
channel layer and cache; DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.
"""

import os
from datetime import time, timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    normalised = value.strip().lower()
    if normalised in {"1", "true", "yes", "on"}:
        return True
    if normalised in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from error


DEBUG = env_bool("DJANGO_DEBUG", False)

# Development only: production mode refuses to start with this key.
DEVELOPMENT_SECRET_KEY = "development-only-not-secret-harbour-key-0123456789abcdefghijkl"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

if DEBUG:
    SECRET_KEY = SECRET_KEY or DEVELOPMENT_SECRET_KEY
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    if (
        len(SECRET_KEY) < 50
        or len(set(SECRET_KEY)) < 5
        or SECRET_KEY == DEVELOPMENT_SECRET_KEY
        or SECRET_KEY.startswith("django-insecure")
    ):
        raise ImproperlyConfigured(
            "Production mode (DJANGO_DEBUG=false) needs DJANGO_SECRET_KEY: a random value of at "
            "least 50 characters. Make one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(64))'. For local development set DJANGO_DEBUG=true."
        )
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "Production mode (DJANGO_DEBUG=false) needs DJANGO_ALLOWED_HOSTS: the comma-separated "
            "host names Harbour is served on (no '*')."
        )

SITE_NAME = os.environ.get("SITE_NAME", "Harbour").strip() or "Harbour"

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "channels",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "community",
    "moderation",
    "forums",
    "wall",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "moderation.middleware.SuspendedMemberMiddleware",
    "community.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the outcome of authentication in the views.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "community.urls"
WSGI_APPLICATION = "community.wsgi.application"
ASGI_APPLICATION = "community.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "community.context_processors.site",
                "moderation.context_processors.support",
            ],
        },
    },
    {
        # Only for templates named *.jinja, rendered on purpose (community/jinja2.py says why).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {"environment": "community.jinja2.environment"},
    },
]

# Database: an SQLite file unless DATABASE_URL names another (postgres://user@host:port/name).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
# PostgreSQL: each process keeps a pool of connections (Django's own, with psycopg_pool). Under
# daphne every request and every socket step runs its queries in a thread of its own, so without
# a pool each one opened a new connection, which cost more than most of its queries
# (docs/performance.md, change 21). 0 turns the pool off.
DATABASE_POOL_SIZE = env_int("DATABASE_POOL_SIZE", 10)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DATABASE_POOL_SIZE > 0:
    if DATABASES["default"]["CONN_MAX_AGE"]:
        raise ImproperlyConfigured("DATABASE_CONN_MAX_AGE must be 0 while the connection pool is "
                                   "on (DATABASE_POOL_SIZE=0 turns it off).")
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(2, DATABASE_POOL_SIZE), "max_size": DATABASE_POOL_SIZE,
        # A request that finds every connection busy for this long gets the 503 page.
        "timeout": 5,
    }
# PostgreSQL: how many parallel workers one of Harbour's statements may take. Its statements
# serve many readers at once, and a search that PostgreSQL shared among workers took half as
# long again under load, and twice the database's CPU, as the same search in one process
# (docs/performance.md, change 34). Given when each connection starts, so it costs no query.
DATABASE_PARALLEL_WORKERS = env_int("DATABASE_PARALLEL_WORKERS", 0)
if not 0 <= DATABASE_PARALLEL_WORKERS <= 1024:  # PostgreSQL refuses every connection otherwise
    raise ImproperlyConfigured("DATABASE_PARALLEL_WORKERS must be from 0 to 1024.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    # Given `options`, libpq no longer reads PGOPTIONS, so it is passed on here. Each may set
    # the same setting again, and PostgreSQL takes the last: this is a default that PGOPTIONS
    # and then DATABASE_URL's own `options` override. As a startup option it also overrides
    # postgresql.conf and ALTER ROLE or ALTER DATABASE settings.
    _options["options"] = " ".join(filter(None, [
        f"-c max_parallel_workers_per_gather={DATABASE_PARALLEL_WORKERS}",
        os.environ.get("PGOPTIONS", "").strip(), _options.get("options", "")]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Channel layer and cache: in-memory unless REDIS_URL is set (redis://host:port/db).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
# Which channels-redis layer carries live events: "pubsub" (Redis PUBLISH/SUBSCRIBE, one
# message per process for a group) or "core" (Redis lists, one message per socket).
# The Wall benchmark chose pubsub (docs/performance.md compares the two).
CHANNEL_LAYER_BACKENDS = {
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
    "core": "channels_redis.core.RedisChannelLayer",
}
CHANNEL_LAYER_KIND = os.environ.get("HARBOUR_CHANNEL_LAYER", "").strip().lower() or "pubsub"
if CHANNEL_LAYER_KIND not in CHANNEL_LAYER_BACKENDS:
    raise ImproperlyConfigured(
        f"HARBOUR_CHANNEL_LAYER must be pubsub or core, not {CHANNEL_LAYER_KIND!r}."
    )
# redis-py 8 gives up reading after 5 seconds by default, which cuts short the core layer's
# blocking 5-second wait for the next message and closes every socket idle that long. Reads may
# take 30 seconds: longer than any wait of the layer, short enough to notice a dead server.
CHANNEL_LAYER_SOCKET_TIMEOUT = 30


def channel_layers(redis_url: str, kind: str) -> dict:
    return {
        "default": {
            "BACKEND": CHANNEL_LAYER_BACKENDS[kind],
            "CONFIG": {
                "hosts": [{"address": redis_url, "socket_timeout": CHANNEL_LAYER_SOCKET_TIMEOUT}],
                "prefix": "harbour",
            },
        }
    }


if REDIS_URL:
    CHANNEL_LAYERS = channel_layers(REDIS_URL, CHANNEL_LAYER_KIND)
    CACHES = {
        "default": {
            # Django's, with one connection pool per process (community/cache.py).
            "BACKEND": "community.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "harbour",
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "community.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out sign-in before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "community.auth.SignedInBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "first_name", "last_name", "display_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
OTP_TOTP_ISSUER = os.environ.get("SITE_NAME", "Harbour").strip() or "Harbour"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Brute-force protection: 5 failures for one sign-in name from one address lock that pair out
# for 15 minutes, right password or not. The lock-out page is the same whether the account exists.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "community.auth.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Client addresses come from REMOTE_ADDR only. Behind a reverse proxy, daphne runs with
# --proxy-headers and the proxy overwrites X-Forwarded-For with the one real address
# (docs/deployment.md), so no header a client sends can choose the address counted here.

# Joining with an invitation code: attempts per client address per window.
JOIN_ATTEMPTS_LIMIT = env_int("HARBOUR_JOIN_ATTEMPTS_LIMIT", 10)
JOIN_ATTEMPTS_WINDOW = timedelta(minutes=10)
# Password-reset emails per client address per hour: stops someone flooding an inbox.
PASSWORD_RESET_LIMIT = env_int("HARBOUR_PASSWORD_RESET_LIMIT", 5)
INVITATION_DEFAULT_DAYS = 14

# Office hours: the weekly schedule of a space without its own (weekday 0 = Monday, opens,
# closes), and whose bank holidays close every space.
OFFICE_HOURS_DEFAULT = [(weekday, time(9, 0), time(17, 0)) for weekday in range(5)]
OFFICE_HOURS_HOLIDAYS_COUNTRY = os.environ.get("HARBOUR_HOLIDAYS_COUNTRY", "GB")
OFFICE_HOURS_HOLIDAYS_SUBDIVISION = os.environ.get("HARBOUR_HOLIDAYS_SUBDIVISION", "ENG")

# Review queue: minutes until an item is due (high tier counts from office hours opening).
MODERATION_DUE_MINUTES = {
    "high": env_int("HARBOUR_DUE_HIGH_MINUTES", 15),
    "medium": env_int("HARBOUR_DUE_MEDIUM_MINUTES", 240),
    "default": env_int("HARBOUR_DUE_DEFAULT_MINUTES", 24 * 60),
}
# Out of hours: this many open reports on one item hide it pending review, and reports on this
# many different items by one member within a day pause that member pending review.
MODERATION_REPORTS_TO_HIDE = env_int("HARBOUR_REPORTS_TO_HIDE", 3)
MODERATION_REPORTED_ITEMS_TO_SUSPEND = env_int("HARBOUR_REPORTED_ITEMS_TO_SUSPEND", 5)
# Suspension ladder, in days; 0 means permanent.
MODERATION_SUSPENSION_LADDER = [14, 30, 0]
# After this many high-tier items in one shift, the queue suggests a break or handover.
MODERATION_HIGH_TIER_BREAK_AFTER = env_int("HARBOUR_HIGH_TIER_BREAK_AFTER", 5)

# The Wall: messages per member per minute, open sockets per member, and how far back a
# reconnecting browser may resume before it reloads history instead.
WALL_MESSAGES_PER_MINUTE = env_int("HARBOUR_WALL_MESSAGES_PER_MINUTE", 10)
WALL_SOCKETS_PER_MEMBER = env_int("HARBOUR_WALL_SOCKETS_PER_MEMBER", 5)
WALL_RESUME_LIMIT = 500

# Library uploads: the largest video accepted (default 200 MB) and captions file (1 MB).
LIBRARY_VIDEO_MAX_BYTES = env_int("HARBOUR_LIBRARY_VIDEO_MAX_MB", 200) * 1024 * 1024
LIBRARY_CAPTIONS_MAX_BYTES = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # larger uploads stream to disk

# A new member's first posts wait for a moderator; 0 turns this off.
FORUMS_HOLD_FIRST_POSTS = env_int("HARBOUR_FORUMS_HOLD_FIRST_POSTS", 3)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded library media: local files by default; any Django storage backend by import path,
# for example "storages.backends.s3.S3Storage" (install django-storages and set its AWS_*
# variables) for S3-compatible storage in production.
MEDIA_STORAGE_BACKEND = os.environ.get(
    "HARBOUR_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"
)
STORAGES = {
    "default": {"BACKEND": MEDIA_STORAGE_BACKEND},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "media/"

# Email: printed to the console unless EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers, on in every mode.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_FAILURE_VIEW = "community.views.csrf_failure"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "frame-src": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
        # The proxy terminates TLS and says so in X-Forwarded-Proto; it must strip that header
        # from clients' requests.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Logs carry events and identifiers, never what members wrote: no request bodies are logged.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact_secrets": {"()": "community.logging.RedactSecretsFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Django's and daphne's own loggers would otherwise print request paths through handlers of
    # their own, past the filter: route them all through it.
    "loggers": {
        name: {"handlers": ["console"], "level": "INFO", "propagate": False}
        for name in ("django", "django.request", "django.server", "django.channels.server",
                     "daphne", "daphne.server", "daphne.http_protocol", "axes")
    }
    | {"django.db.backends": {"level": "WARNING"}},
}
