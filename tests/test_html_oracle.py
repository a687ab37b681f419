"""The hostile-input oracle itself: it must catch each kind of injection it claims to, and pass
Harbour's own pages."""

import pytest
from django.urls import reverse

from tests.html import assert_fragment_inert, assert_page_inert, parse

HEAD = ('<!doctype html><html><head><meta charset="utf-8"><title>t</title>'
        '<link rel="stylesheet" href="/static/community/harbour.css">'
        '<script type="module" src="/static/community/js/init.js"></script>{head}</head>'
        '<body><main>{body}</main></body></html>')

CAUGHT = {
    "inline script": ("", "<script>alert(1)</script>"),
    "script from elsewhere": ("", '<script src="https://evil.example/x.js"></script>'),
    "event handler": ("", '<p onclick="alert(1)">x</p>'),
    "javascript link": ("", '<a href="javascript:alert(1)">x</a>'),
    "javascript link with a tab": ("", '<a href="java\tscript:alert(1)">x</a>'),
    "data link": ("", '<a href="data:text/html,x">x</a>'),
    "svg": ("", "<svg><circle r=1></circle></svg>"),
    "math": ("", "<math><mi>x</mi></math>"),
    "style element": ("", "<style>body{}</style>"),
    "style attribute": ("", '<p style="color:red">x</p>'),
    "iframe": ("", '<iframe src="https://evil.example"></iframe>'),
    "object": ("", '<object data="x"></object>'),
    "image from elsewhere": ("", '<img src="https://evil.example/p.gif" alt="">'),
    "form posting elsewhere": ("", '<form action="https://evil.example/"></form>'),
    "form posting elsewhere, backslash": ("", '<form action="/\\evil.example/"></form>'),
    "meta refresh in the body": ("", '<meta http-equiv="refresh" content="0;url=/">'),
    "stylesheet in the head": ('<link rel="stylesheet" href="https://evil.example/x.css">', ""),
    "meta refresh in the head": ('<meta http-equiv="refresh" content="0;url=/">', ""),
    "base in the head": ('<base href="https://evil.example/">', ""),
}


@pytest.mark.parametrize(("head", "body"), CAUGHT.values(), ids=CAUGHT.keys())
def test_the_oracle_catches(head, body):
    with pytest.raises(AssertionError):
        assert_page_inert(parse(HEAD.format(head=head, body=body)), "a test page")


def test_a_plain_page_and_fragment_pass():
    assert_page_inert(parse(HEAD.format(head="", body='<p><a href="/x">x</a></p>')), "plain")
    assert_fragment_inert('<p><em>Hello</em> <a href="https://nhs.uk">all</a></p>', "plain")


@pytest.mark.parametrize("name", ["home", "urgent_help", "forums:index", "library"])
def test_harbours_own_pages_pass(client_for, people, name):
    response = client_for(people["member"]).get(reverse(name))
    assert response.status_code == 200
    assert_page_inert(parse(response), name)
