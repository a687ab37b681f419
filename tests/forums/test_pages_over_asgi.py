"""Pages as daphne serves them: through `community.asgi.application`, not the test client.

Under ASGI the middleware chain is loaded as synchronous code (community/http_handler.py), the
same chain the test client runs, so what the rest of the suite checks through the client holds
in production. These tests check that the whole stack still applies end to end there: sessions,
CSRF, messages, the private-page and security headers, and a reader who leaves early.
"""

from __future__ import annotations

import asyncio
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from asgiref.sync import async_to_sync, iscoroutinefunction
from channels.testing import ApplicationCommunicator, HttpCommunicator
from django.urls import reverse

from community.asgi import application
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
        response = async_to_sync(HttpCommunicator(
            application, method, path, body=body, headers=headers).get_response)(timeout=10)
        response["headers"] = {name.decode().lower(): value.decode()
                               for name, value in response["headers"]
                               if name.lower() != b"set-cookie"} | {
            "set-cookie": [value.decode() for name, value in response["headers"]
                           if name.lower() == b"set-cookie"]}
        for line in response["headers"]["set-cookie"]:
            self.cookies.load(line)
        return response


def csrf_token(response) -> str:
    tree = parse(response["body"].decode())
    return next(field.get("value") for field in elements(tree, "input")
                if field.get("name") == "csrfmiddlewaretoken")


def test_pages_run_the_middleware_chain_as_synchronous_code_as_the_test_client_does():
    handler = application.application_mapping["http"]
    assert not iscoroutinefunction(handler._middleware_chain)
    assert not any(iscoroutinefunction(hook) for hook in handler._view_middleware)


def test_a_signed_in_member_reads_a_thread_with_the_private_and_security_headers(
        established, thread):
    member = established["member"]
    response = Browser(session_cookie(member)).request("GET", f"/forums/t/{thread.pk}/")

    assert response["status"] == 200
    assert "What helps on a low day?" in response["body"].decode()
    headers = response["headers"]
    assert "private" in headers["cache-control"]
    assert "no-store" in headers["cache-control"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


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
    assert "You&#x27;re following this thread." in after["body"].decode()


def test_a_reader_who_leaves_before_the_page_is_ready_does_not_stop_the_next_one(
        established, thread):
    member = established["member"]
    cookie = session_cookie(member)

    async def leave_early():
        scope = {"type": "http", "http_version": "1.1", "method": "GET",
                 "path": f"/forums/t/{thread.pk}/", "query_string": b"",
                 "headers": [(b"host", b"testserver"), (b"cookie", cookie)]}
        visit = ApplicationCommunicator(application, scope)
        await visit.send_input({"type": "http.request", "body": b""})
        await visit.send_input({"type": "http.disconnect"})
        await visit.wait(timeout=10)  # raises if the handler failed

    asyncio.run(leave_early())
    response = Browser(cookie).request("GET", f"/forums/t/{thread.pk}/")
    assert response["status"] == 200
