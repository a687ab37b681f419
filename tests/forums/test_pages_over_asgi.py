"""Pages as daphne serves them: through `community.asgi.application`, not the test client.

Under ASGI the middleware chain is loaded as synchronous code (community/http_handler.py), the
same chain the test client runs, so what the rest of the suite checks through the client holds
in production. These tests check that the whole stack still applies end to end there (sessions,
CSRF, messages, the private-page and security headers, the error pages) and that every page's
work, its error pages' included, stays in the request's own thread.
"""

from __future__ import annotations

import asyncio
import threading
from http.cookies import SimpleCookie
from unittest import mock
from urllib.parse import urlencode

import pytest
from asgiref import sync
from channels.testing import ApplicationCommunicator, HttpCommunicator
from django.core.signals import request_finished, request_started
from django.db import OperationalError
from django.db.backends.signals import connection_created
from django.urls import reverse

from community.asgi import application
from forums import selectors
from forums.models import Subscription
from tests.html import elements, parse
from tests.wall.conftest import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


class Browser:
    """One visitor's cookies, carried from response to request as a browser carries them."""

    def __init__(self, cookie: bytes = b""):
        self.cookies = SimpleCookie(cookie.decode())

    def request(self, method: str, path: str, form: dict | None = None) -> dict:
        headers = [(b"host", b"testserver")]
        if self.cookies:
            cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in self.cookies.items())
            headers.append((b"cookie", cookie.encode()))
        body = urlencode(form or {}).encode()
        if method == "POST":
            headers += [(b"content-type", b"application/x-www-form-urlencoded"),
                        (b"content-length", str(len(body)).encode())]
        response = sync.async_to_sync(_served)(
            HttpCommunicator(application, method, path, body=body, headers=headers))
        response["headers"] = {name.decode().lower(): value.decode()
                               for name, value in response["headers"]
                               if name.lower() != b"set-cookie"} | {
            "set-cookie": [value.decode() for name, value in response["headers"]
                           if name.lower() == b"set-cookie"]}
        for line in response["headers"]["set-cookie"]:
            self.cookies.load(line)
        response["text"] = response["body"].decode()
        return response


async def _served(communicator: HttpCommunicator) -> dict:
    response = await communicator.get_response(timeout=10)
    # As daphne does: the application finishes (the response's close, request_finished) and
    # whatever it raised after the body is raised here.
    await communicator.wait(timeout=10)
    return response


def csrf_token(response) -> str:
    return next(field.get("value") for field in elements(parse(response["text"]), "input")
                if field.get("name") == "csrfmiddlewaretoken")


@pytest.fixture
def threads_of_a_request():
    """The threads a request's start, database connections and finish happened in."""
    seen = {"started": [], "connected": [], "finished": []}

    def record(key):
        def receiver(**kwargs):
            seen[key].append(threading.get_ident())
        return receiver

    receivers = {"started": (request_started, record("started")),
                 "connected": (connection_created, record("connected")),
                 "finished": (request_finished, record("finished"))}
    for signal, receiver in receivers.values():
        signal.connect(receiver)
    yield seen
    for signal, receiver in receivers.values():
        signal.disconnect(receiver)


def test_a_page_is_handed_to_its_thread_three_times_and_never_back_to_the_loop(
        established, thread):
    cookie = session_cookie(established["member"])
    calls = {"sync_to_async": 0, "async_to_sync": 0}
    to_thread, to_loop = sync.SyncToAsync.__call__, sync.AsyncToSync.__call__

    async def counted_to_thread(self, *args, **kwargs):
        calls["sync_to_async"] += 1
        return await to_thread(self, *args, **kwargs)

    def counted_to_loop(self, *args, **kwargs):
        calls["async_to_sync"] += 1
        return to_loop(self, *args, **kwargs)

    async def one_page():
        # Counted from inside the loop: the test's own way into it is not the page's.
        with mock.patch.object(sync.SyncToAsync, "__call__", counted_to_thread), \
                mock.patch.object(sync.AsyncToSync, "__call__", counted_to_loop):
            return await _served(HttpCommunicator(
                application, "GET", f"/forums/t/{thread.pk}/",
                headers=[(b"host", b"testserver"), (b"cookie", cookie)]))

    assert sync.async_to_sync(one_page)()["status"] == 200
    # The request's start signal, the middleware chain with its view, and the response's close;
    # Django's own handler takes nine, one of them from the chain back to the loop.
    assert calls == {"sync_to_async": 3, "async_to_sync": 0}


def test_a_signed_in_member_reads_a_thread_with_the_private_and_security_headers(
        established, thread, threads_of_a_request):
    member = established["member"]
    response = Browser(session_cookie(member)).request("GET", f"/forums/t/{thread.pk}/")

    assert response["status"] == 200
    assert "What helps on a low day?" in response["text"]
    headers = response["headers"]
    assert "private" in headers["cache-control"]
    assert "no-store" in headers["cache-control"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert set(threads_of_a_request["connected"]) <= set(threads_of_a_request["started"])
    assert threads_of_a_request["finished"] == threads_of_a_request["started"]


def test_a_signed_out_visitor_is_sent_to_sign_in(thread):
    response = Browser().request("GET", f"/forums/t/{thread.pk}/")

    assert response["status"] == 302
    assert response["headers"]["location"] == f"{reverse('login')}?next=/forums/t/{thread.pk}/"


def test_a_post_without_the_forms_token_is_refused_and_changes_nothing(established, thread):
    member = established["member"]
    browser = Browser(session_cookie(member))
    browser.request("GET", f"/forums/t/{thread.pk}/")  # the CSRF cookie, but not the form's token

    response = browser.request("POST", reverse("forums:follow", args=[thread.pk]),
                               {"following": "1"})

    assert response["status"] == 403
    assert "Your form had expired, or your browser blocked a cookie" in response["text"]
    assert not Subscription.objects.filter(thread=thread, user=member).exists()


def test_a_form_posted_with_its_token_saves_and_the_next_page_says_so(established, thread):
    member = established["member"]
    browser = Browser(session_cookie(member))
    page = browser.request("GET", f"/forums/t/{thread.pk}/")

    response = browser.request("POST", reverse("forums:follow", args=[thread.pk]),
                               {"following": "1", "csrfmiddlewaretoken": csrf_token(page)})
    assert response["status"] == 302
    assert Subscription.objects.filter(thread=thread, user=member).exists()

    after = browser.request("GET", response["headers"]["location"])
    assert "You&#x27;re following this thread." in after["text"]


def test_a_missing_thread_gets_harbours_page_rendered_in_the_requests_own_thread(
        established, settings, threads_of_a_request):
    settings.DEBUG = False
    response = Browser(session_cookie(established["member"])).request("GET", "/forums/t/999999/")

    assert response["status"] == 404
    assert "Page not found" in response["text"]
    assert "/help/urgent/" in response["text"]
    # The page's own queries (the signed-in member's badge) ran where the request's finish gives
    # their connection back: no connection was opened in any other thread.
    assert threads_of_a_request["connected"]
    assert set(threads_of_a_request["connected"]) <= set(threads_of_a_request["started"])
    assert threads_of_a_request["finished"] == threads_of_a_request["started"]


def test_a_failing_page_gets_the_error_page_and_an_outage_asks_to_try_again_soon(
        established, thread, settings, threads_of_a_request):
    settings.DEBUG = False
    browser = Browser(session_cookie(established["member"]))

    with mock.patch.object(selectors, "thread_page", side_effect=RuntimeError("a bug")):
        failed = browser.request("GET", f"/forums/t/{thread.pk}/")
    with mock.patch.object(selectors, "thread_page",
                           side_effect=OperationalError("the database went away")):
        outage = browser.request("GET", f"/forums/t/{thread.pk}/")

    assert failed["status"] == 500
    assert "retry-after" not in failed["headers"]
    assert outage["status"] == 503
    assert outage["headers"]["retry-after"] == "30"
    for response in (failed, outage):
        assert "/help/urgent/" in response["text"]
        assert "a bug" not in response["text"]
        assert "the database went away" not in response["text"]
    assert set(threads_of_a_request["connected"]) <= set(threads_of_a_request["started"])
    assert threads_of_a_request["finished"] == threads_of_a_request["started"]


def test_a_reader_who_leaves_while_the_page_is_made_gets_nothing_and_the_request_finishes(
        established, thread, threads_of_a_request):
    cookie = session_cookie(established["member"])
    in_view, left = threading.Event(), threading.Event()
    made = []
    real_thread_page = selectors.thread_page

    def slow_thread_page(*args, **kwargs):
        in_view.set()
        left.wait(timeout=10)
        made.append(threading.get_ident())
        return real_thread_page(*args, **kwargs)

    async def leave_while_the_page_is_made():
        scope = {"type": "http", "http_version": "1.1", "method": "GET",
                 "path": f"/forums/t/{thread.pk}/", "query_string": b"",
                 "headers": [(b"host", b"testserver"), (b"cookie", cookie)]}
        visit = ApplicationCommunicator(application, scope)
        await visit.send_input({"type": "http.request", "body": b""})
        await _until(in_view.is_set)
        await visit.send_input({"type": "http.disconnect"})
        # The handler takes the disconnect, and acts on it, while the view still runs.
        await _until(visit.input_queue.empty)
        await asyncio.sleep(0.05)
        left.set()
        await visit.wait(timeout=10)  # raises if the handler failed
        assert await visit.receive_nothing(), "a response went to a reader who had left"

    with mock.patch.object(selectors, "thread_page", slow_thread_page):
        sync.async_to_sync(leave_while_the_page_is_made)()

    assert made, "the view did not run"
    assert threads_of_a_request["finished"] == threads_of_a_request["started"] == made
    again = Browser(cookie).request("GET", f"/forums/t/{thread.pk}/")
    assert again["status"] == 200


async def _until(condition, seconds: float = 10) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{condition} did not happen within {seconds} s")
