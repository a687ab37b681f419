"""Production mode: refuses unsafe settings, and `check --deploy` has nothing to say."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.html import elements, parse

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "HARBOUR_"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True,
        text=True, timeout=120, check=False,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "harbour.example.nhs.uk",
}


def test_check_deploy_in_production_mode_prints_no_warnings():
    result = manage("check", "--deploy", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNING" not in result.stderr and "?:" not in result.stderr


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"DJANGO_SECRET_KEY": ""}, "needs DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "too-short"}, "needs DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "a" * 60}, "needs DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "django-insecure-" + "x1y2z3" * 10}, "needs DJANGO_SECRET_KEY"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "needs DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_ALLOWED_HOSTS": "*"}, "needs DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG must be true or false"),
    ],
)
def test_production_mode_refuses_to_start_with_unsafe_settings(changes, message):
    result = manage("check", **{**PRODUCTION, **changes})
    assert result.returncode != 0
    assert message in result.stderr


def test_unset_debug_means_production_mode():
    result = manage("check")
    assert result.returncode != 0
    assert "Production mode (DJANGO_DEBUG=false)" in result.stderr


def test_production_settings_are_strict():
    script = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.X_FRAME_OPTIONS, s.SECURE_REFERRER_POLICY)"
    )
    result = manage("shell", "--no-imports", "-c", script, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "DENY", "same-origin"]


def test_ssl_redirect_can_be_left_to_a_proxy():
    result = manage(
        "shell", "--no-imports", "-c",
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT)",
        **PRODUCTION, DJANGO_SECURE_SSL_REDIRECT="false",
    )
    assert result.stdout.strip() == "False"


def test_security_headers_on_every_response(client, db):
    response = client.get(reverse("home"))
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name", ["home", "login", "join_start", "urgent_help"])
def test_pages_carry_no_inline_script(client, db, name):
    tree = parse(client.get(reverse(name)))
    for script in elements(tree, "script"):
        assert script.get("src"), "inline scripts are blocked by the CSP, so none may exist"
        assert not (script.text or "").strip()
    for element in tree.iter():
        assert not any(attribute.startswith("on") for attribute in element.attrib)
