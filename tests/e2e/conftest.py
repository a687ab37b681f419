"""Real-browser journeys: a headless Chromium (Debian's package, driven by Playwright, never a
downloaded browser) against a real daphne process serving the test database.

One daphne process and one browser serve the whole tests/e2e package. Each test is transactional
(its data is committed, so the server sees it, and emptied afterwards), makes its own people and
spaces, and opens its own browser contexts. Every page a journey visits goes through `audit`:
axe-core (WCAG 2.2 AA rules) at 1280 and 375 pixels wide, and a screenshot of each width into
test-artifacts/screenshots/.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import zoneinfo
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path

import holidays
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from community.crisis_contacts import crisis_contacts_ensure_defaults
from community.models import CrisisContact
from moderation.models import RiskPhrase, WeeklyOpening
from moderation.risk import DEFAULT_PHRASES
from tests.conftest import missing_outside_ci, verify_second_factor

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
    "--disable-default-apps",
]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
AXE_REPORTS = ROOT / "test-artifacts" / "axe"  # every violation found, whatever its impact
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LONDON = zoneinfo.ZoneInfo("Europe/London")
# Playwright waits this long for what a person would see (a cold daphne page can take a moment
# on a busy two-core machine).
EXPECT_TIMEOUT_MS = 15_000


# --- The browser -------------------------------------------------------------------------------


def _chromium_or_skip() -> str:
    if CHROMIUM.exists():
        return str(CHROMIUM)
    message = (f"The browser tests need Debian's chromium package at {CHROMIUM}: install it with "
               "`apt-get install -y chromium` (Playwright never downloads a browser here).")
    missing_outside_ci(message)


@pytest.fixture(scope="package")
def playwright_browser():
    """One headless Chromium for the package. Playwright's synchronous API keeps an event loop
    running in this thread, which Django would take for async code: the package's tests (and
    only they, until the browser closes) tell Django the ORM calls here are synchronous."""
    executable = _chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    try:
        browser = manager.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        manager.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# --- The server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def holiday_calendar(today: date) -> tuple[str, str]:
    """A bank-holiday calendar in which today is a working day, so that a weekly opening the
    tests add for today holds (on English bank holidays every space is closed, by design)."""
    for country, subdivision in (("GB", "ENG"), ("GB", "SCT"), ("JP", ""), ("IL", "")):
        if today not in holidays.country_holidays(country, subdiv=subdivision or None,
                                                   years=today.year):
            return country, subdivision
    raise AssertionError(f"No working-day calendar found for {today}")


class Server:
    """A daphne process on loopback, in development mode, against the test database, with the
    in-memory channel layer (one process). Its output is kept: the console email backend prints
    the emails Harbour sends there."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.output: list[str] = []
        self._changed = threading.Condition()
        self.process: subprocess.Popen | None = None
        environment = {k: v for k, v in os.environ.items()
                       if not k.startswith(("DJANGO_", "EMAIL_", "HARBOUR_")) and k != "REDIS_URL"}
        country, subdivision = holiday_calendar(datetime.now(LONDON).date())
        environment.update(
            DJANGO_DEBUG="true", DJANGO_SETTINGS_MODULE="community.settings",
            DATABASE_URL=database_url(), PYTHONUNBUFFERED="1",
            HARBOUR_HOLIDAYS_COUNTRY=country, HARBOUR_HOLIDAYS_SUBDIVISION=subdivision,
        )
        self.environment = environment

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port),
             "community.asgi:application"],
            cwd=ROOT, env=self.environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True,
        )
        threading.Thread(target=self._read, args=(self.process,), daemon=True).start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError("daphne exited:\n" + "".join(self.output))
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise AssertionError("daphne did not start within 60 seconds")

    def _read(self, process) -> None:
        for line in process.stdout:
            with self._changed:
                self.output.append(line)
                self._changed.notify_all()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)

    def restart(self) -> None:
        self.stop()
        self.start()

    def mark(self) -> int:
        """Where the server's output is up to, for `wait_for_output(since=...)`."""
        with self._changed:
            return len(self.output)

    def wait_for_output(self, pattern: str, *, since: int = 0, timeout: float = 15) -> re.Match:
        """The first match of `pattern` in what the server printed after `since` (an email, for
        example)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = re.search(pattern, "".join(self.output[since:]))
                if found:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"The server never printed {pattern!r}")
                self._changed.wait(left)


@pytest.fixture(scope="package")
def live_server_process(django_db_setup, django_db_blocker, playwright_browser):
    server = Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def server(live_server_process):
    """The running daphne process (started again if a test stopped it)."""
    if live_server_process.process.poll() is not None:
        live_server_process.start()
    return live_server_process


def confirmation_link(server: Server, since: int) -> str:
    """The link in the joining email Harbour sent (development mode prints emails)."""
    return server.wait_for_output(rf"{re.escape(server.url)}/join/confirm/[^\s]+/",
                                  since=since).group(0)


# --- People in browsers ------------------------------------------------------------------------


def session_cookie(server: Server, user, *, second_factor: bool = True) -> dict:
    """A signed-in session for `user` (the moderating team also past two-factor), as a cookie."""
    client = Client()
    client.force_login(user)
    if second_factor:
        verify_second_factor(client, user)
    return {"name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": server.url}


@pytest.fixture
def open_browser(playwright_browser, server):
    """`open_browser(user=None)` is a new browser window (its own cookies), signed in as `user`.
    Windows close after the test."""
    contexts = []

    def _open(user=None, *, viewport=DESKTOP, second_factor=True):
        context = playwright_browser.new_context(
            base_url=server.url, viewport=viewport, locale="en-GB", timezone_id="Europe/London",
        )
        context.set_default_timeout(EXPECT_TIMEOUT_MS)
        contexts.append(context)
        if user is not None:
            context.add_cookies([session_cookie(server, user, second_factor=second_factor)])
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda message: message.type == "error"
                and page.console_errors.append(message.text))
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        return page

    yield _open
    for context in contexts:
        context.close()


# --- Data the journeys need --------------------------------------------------------------------
# Transactional tests empty the tables that data migrations filled, so journeys add what they use.

LAST_SECOND = clock(23, 59, 59)


@pytest.fixture
def wall_open_all_day(talking):
    """Office hours all of today, so members can post on the Wall whatever the time of the run
    (the server's bank-holiday calendar leaves today a working day, see `holiday_calendar`)."""
    WeeklyOpening.objects.create(space=talking, weekday=datetime.now(LONDON).weekday(),
                                 opens=clock(0, 0), closes=LAST_SECOND)


@pytest.fixture
def risk_phrases(db):
    for tier, phrases in DEFAULT_PHRASES.items():
        for phrase in phrases:
            RiskPhrase.objects.get_or_create(phrase=phrase, defaults={"tier": tier})


@pytest.fixture
def crisis_contacts(db):
    crisis_contacts_ensure_defaults(CrisisContact)


# --- Accessibility and screenshots -------------------------------------------------------------

_AXE = None


def _axe():
    global _AXE
    if _AXE is None:
        from axe_playwright_python.sync_playwright import Axe

        _AXE = Axe()
    return _AXE


def audit(page, name: str) -> None:
    """axe-core on the page as it is now, at desktop and at 375-pixel mobile width: no serious or
    critical WCAG 2.2 AA violations. Saves a screenshot of each width, and axe's findings of any
    impact to test-artifacts/axe/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    AXE_REPORTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    problems = []
    # As a person sees it: styles and fonts loaded and laid out (axe measured the header's links
    # at their unstyled size once, on a page still loading after a redirect).
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    try:
        for label, viewport in (("desktop", DESKTOP), ("mobile", MOBILE)):
            page.set_viewport_size(viewport)
            results = _axe().run(page, options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"],
            })
            (AXE_REPORTS / f"{name}-{label}.json").write_text(
                json.dumps(results.response["violations"], indent=1))
            for violation in results.response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    problems.append({
                        "width": viewport["width"], "rule": violation["id"],
                        "impact": violation["impact"], "help": violation["help"],
                        "nodes": [(node["target"], node.get("failureSummary", ""))
                                  for node in violation["nodes"][:5]],
                    })
            page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True,
                            animations="disabled", caret="initial")
    finally:
        page.set_viewport_size(original)
    assert not problems, f"Accessibility problems on {name} ({page.url}):\n" + json.dumps(
        problems, indent=2)
