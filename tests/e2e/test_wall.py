"""The live Wall in real browsers (journeys 2, 3 and 6): messages arrive without a reload and
are announced by the live region, a moderator's hide takes them off every screen and tells the
author why, closing time turns the Wall read-only on its own, and a dropped connection loses and
repeats nothing."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from datetime import time as clock

import pytest
from playwright.sync_api import expect

from community.models import Role
from moderation.models import WeeklyOpening
from tests.conftest import make_user
from tests.e2e.conftest import LAST_SECOND, LONDON, audit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e, pytest.mark.server]

WALL = "/spaces/talking-therapies/wall/"


@pytest.fixture
def second_member(talking):
    return make_user(Role.MEMBER, "Still Water", spaces=[talking])


def open_wall(page):
    """Open the Wall and wait until its socket is live; mark the page so that a reload (which
    would wipe the mark) can be detected later."""
    page.goto(WALL)
    expect(page.locator("#wall-connection")).to_have_text("Connection: live")
    page.evaluate("window.harbourNoReload = true")
    return page


def not_reloaded(page) -> bool:
    return page.evaluate("window.harbourNoReload === true")


def send(page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send", exact=True).click()


def message(page, text: str):
    return page.locator("#wall-messages > li", has_text=text)


def test_a_message_reaches_the_others_live_and_a_moderators_hide_removes_it_everywhere(
        open_browser, people, second_member, wall_open_all_day):
    author = open_wall(open_browser(people["member"]))
    reader = open_wall(open_browser(second_member))
    moderator = open_wall(open_browser(people["volunteer"]))

    # The live region announces each new message once, politely: who wrote it and what it says,
    # without the buttons around it, the newest replacing the last.
    announcer = reader.locator("#wall-announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(announcer).to_have_attribute("aria-atomic", "true")
    expect(reader.locator("#wall-messages")).not_to_have_attribute("aria-live", re.compile("."))

    send(author, "Lovely walk by the sea this morning, my number is 07700 900123")
    for page in (author, reader, moderator):
        expect(message(page, "Lovely walk by the sea")).to_have_count(1)
        expect(message(page, "Lovely walk by the sea")).to_contain_text("Quiet Harbour")
    expect(announcer).to_have_text("New message from Quiet Harbour: Lovely walk by the sea "
                                   "this morning, my number is 07700 900123")
    send(reader, "That sounds wonderful")
    expect(message(author, "That sounds wonderful")).to_be_visible()
    expect(announcer).to_have_text(f"New message from {second_member.display_name}: "
                                   "That sounds wonderful")
    expect(author.locator("#wall-announcer")).to_have_text(
        f"New message from {second_member.display_name}: That sounds wonderful")
    audit(reader, "wall")
    audit(moderator, "wall-moderator")

    # The moderator hides the first message, giving a reason (the page asks for it).
    moderator.once("dialog", lambda dialog: dialog.accept("Please keep phone numbers private."))
    message(moderator, "Lovely walk by the sea").get_by_role("button", name="Hide").click()
    for page in (author, reader, moderator):
        expect(message(page, "Lovely walk by the sea")).to_have_count(0)
        expect(message(page, "That sounds wonderful")).to_have_count(1)
        assert not_reloaded(page)

    # The author is told why, privately, with places to find support.
    author.get_by_role("link", name=re.compile("Notifications")).click()
    notice = author.locator(".harbour-moderator-message")
    expect(notice).to_contain_text("A moderator hid your message on the Talking Therapies Wall")
    expect(notice).to_contain_text("The moderator's reason: Please keep phone numbers private.")
    expect(notice.get_by_text("Where to find support now")).to_be_visible()
    audit(author, "notifications-moderator-message")
    for page in (author, reader, moderator):
        assert not page.console_errors, page.console_errors


def test_closing_time_turns_the_open_wall_read_only_without_a_reload(open_browser, people,
                                                                    talking):
    now = datetime.now(LONDON)
    if now.time() > clock(23, 55):  # openings never cross midnight: start the day afresh
        time.sleep((datetime.combine(now.date() + timedelta(days=1), clock(0, 0, 1),
                                     tzinfo=LONDON) - now).total_seconds())
        now = datetime.now(LONDON)
    closes = (now + timedelta(seconds=15)).time().replace(microsecond=0)
    reopens = (now + timedelta(minutes=3)).replace(second=0, microsecond=0)
    WeeklyOpening.objects.create(space=talking, weekday=now.weekday(), opens=clock(0, 0),
                                 closes=closes)
    WeeklyOpening.objects.create(space=talking, weekday=now.weekday(), opens=reopens.time(),
                                 closes=LAST_SECOND)

    page = open_wall(open_browser(people["member"]))
    state = page.locator("#wall-state")
    expect(state).to_have_text(f"Open now, until {closes:%H:%M}.")
    expect(page.get_by_role("button", name="Send", exact=True)).to_be_enabled()

    # Closing time passes: the page says so by itself, with the next opening.
    expect(state).to_contain_text("Closed now: the Wall is read-only outside office hours.",
                                  timeout=30_000)
    expect(state).to_contain_text(
        f"It opens {reopens:%A} {reopens.day} {reopens:%B} at {reopens:%H:%M}.")
    expect(page.locator("#wall-form")).to_be_hidden()
    assert not_reloaded(page)
    audit(page, "wall-closed")
    assert not page.console_errors, page.console_errors


class Outage:
    """Carries a page's Wall sockets through Playwright, so that one browser alone can lose its
    connection: `drop()` closes its sockets and refuses new ones until `restore()`."""

    def __init__(self, page):
        self.down = False
        self.sockets = []
        self.refused_at = []  # monotonic times of the reconnections refused
        page.route_web_socket(re.compile(r"/ws/wall/"), self._route)

    @property
    def refused(self) -> int:
        return len(self.refused_at)

    def _route(self, socket):
        if self.down:
            self.refused_at.append(time.monotonic())
            socket.close()
            return
        socket.connect_to_server()
        self.sockets.append(socket)

    def drop(self):
        self.down = True
        for socket in self.sockets:
            socket.close()
        self.sockets = []

    def restore(self):
        self.down = False


def test_a_dropped_connection_loses_nothing_and_repeats_nothing(
        server, open_browser, people, second_member, wall_open_all_day):
    away = open_browser(people["member"])
    outage = Outage(away)
    open_wall(away)
    staying = open_wall(open_browser(second_member))
    send(away, "Before the drop")
    expect(message(staying, "Before the drop")).to_have_count(1)
    # Its author's acknowledgement can arrive after the others' copies, and a message still
    # unacknowledged when the connection drops waits as not sent yet. The author's own copy
    # comes after the acknowledgement on the same socket: wait for it, so that only what is
    # written while offline waits below.
    unsent = away.locator("#wall-messages > li.harbour-wall__message--unsent")
    delivered = away.locator("#wall-messages > li:not(.harbour-wall__message--unsent)",
                             has_text="Before the drop")
    expect(delivered).to_have_count(1)
    expect(unsent).to_have_count(0)

    # The first browser loses its connection; the other one carries on talking.
    away.evaluate("""() => {
        const status = document.getElementById("wall-connection");
        window.harbourStatuses = [];
        new MutationObserver(() => window.harbourStatuses.push(status.textContent))
            .observe(status, {childList: true, characterData: true, subtree: true});
    }""")
    outage.drop()
    expect(away.locator("#wall-connection")).to_contain_text("offline")
    send(staying, "Said while you were away, one")
    send(staying, "Said while you were away, two")
    send(away, "Written while offline")
    # It waits in the browser, on screen and marked, until the connection is back.
    expect(unsent).to_have_count(1)
    expect(unsent).to_contain_text("Not sent yet: it goes when the connection is back")
    expect(unsent).to_contain_text("Written while offline")
    audit(away, "wall-offline")
    expect(message(staying, "Said while you were away, two")).to_have_count(1)
    # It tries to reconnect and fails while the outage lasts: nothing new reaches it.
    away.wait_for_function("""() => window.harbourStatuses.join("|").includes(
        "Connection: connecting|Connection: offline, reconnecting")""")
    # ...backing off as it goes: the waits double (with jitter, 1–3 s after the first refusal,
    # 4–12 s after the third), so a crowd of browsers never hammers a server that is coming back.
    deadline = time.monotonic() + 40
    while outage.refused < 4 and time.monotonic() < deadline:
        away.wait_for_timeout(250)
    assert outage.refused >= 4, outage.refused_at
    times = outage.refused_at[:4]
    first_wait, _, third_wait = (later - earlier
                                 for earlier, later in zip(times, times[1:], strict=False))
    assert first_wait >= 0.9, outage.refused_at
    assert third_wait > first_wait, outage.refused_at
    expect(message(away, "Said while you were away")).to_have_count(0)
    expect(message(staying, "Written while offline")).to_have_count(0)

    outage.restore()
    expect(away.locator("#wall-connection")).to_have_text("Connection: live", timeout=45_000)
    expected = ["Before the drop", "Said while you were away, one",
                "Said while you were away, two", "Written while offline"]
    for page in (away, staying):
        for text in expected:
            expect(message(page, text)).to_have_count(1)
    expect(unsent).to_have_count(0)

    # The server itself goes away and comes back on the same address.
    server.restart()
    for page in (away, staying):
        expect(page.locator("#wall-connection")).to_have_text("Connection: live", timeout=45_000)
    send(staying, "After the restart")
    for page in (away, staying):
        expect(message(page, "After the restart")).to_have_count(1)
        texts = [" ".join(t.split()) for t in
                 page.locator("#wall-messages .harbour-wall__body").all_inner_texts()]
        assert texts == [*expected, "After the restart"], texts
        assert not_reloaded(page)
