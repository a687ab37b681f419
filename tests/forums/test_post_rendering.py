"""The posts of a thread page, which Jinja2 renders rather than Django's own engine
(community/jinja2.py): what Django's templates did for them must still hold."""

from datetime import UTC, datetime

import pytest
from django.template import engines
from django.test import Client
from django.urls import reverse
from jinja2 import UndefinedError

from community.jinja2 import id_url
from forums import services
from forums.models import Post, Reaction
from tests.html import elements, parse, text_of


def thread_page(client, thread):
    return client.get(reverse("forums:thread", args=[thread.pk]))


def test_times_are_shown_in_the_readers_time_zone(client_for, established, thread):
    """Stored in UTC, shown in UK time: 11:30 UTC on a summer day is 12:30 in London."""
    Post.objects.filter(thread=thread).update(created_at=datetime(2026, 7, 1, 11, 30, tzinfo=UTC))
    page = parse(thread_page(client_for(established["member"]), thread))
    [post] = [article for article in elements(page, "article")
              if "harbour-post" in article.get("class", "").split()]
    [time] = elements(post, "time")
    assert text_of(time) == "1 Jul 2026, 12:30"
    assert time.get("datetime") == "2026-07-01T12:30:00+01:00"


def test_every_form_in_the_posts_carries_a_token_the_csrf_check_accepts(established, thread):
    """A browser posts what the page gave it; Django's CSRF check must let that through."""
    member = established["member"]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    post = thread.posts.get()
    page = parse(thread_page(browser, thread))
    [posts] = [part for part in elements(page, "div") if part.get("class") == "harbour-posts"]
    forms = elements(posts, "form")
    tokens = [[field.get("value") for field in elements(form, "input")
               if field.get("name") == "csrfmiddlewaretoken"] for form in forms]
    assert len(forms) >= 2 and all(len(found) == 1 and found[0] for found in tokens)
    react_form = next(form for form in forms
                      if form.get("action") == reverse("forums:react", args=[post.pk]))
    [token] = tokens[forms.index(react_form)]
    assert browser.post(react_form.get("action"), {"kind": "relate"}).status_code == 403
    answer = browser.post(react_form.get("action"),
                          {"kind": "relate", "csrfmiddlewaretoken": token})
    assert answer.status_code == 302
    assert Reaction.objects.filter(post=post, user=member, kind="relate").exists()


def test_what_members_typed_is_escaped(client_for, established, thread):
    """A muted phrase is shown back in the collapsed post's summary; a display name heads
    every post. Neither may become markup."""
    reader = established["member"]
    writer = established["volunteer"]
    writer.display_name = "<b>Bold</b> & co"
    writer.save(update_fields=["display_name"])
    services.post_create(author=writer, thread=thread, body="I said <i>river</i> once.")
    services.muted_word_add(user=reader, phrase="<i>river</i>")
    response = thread_page(client_for(reader), thread)
    html = response.content.decode()
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in html
    summaries = [text_of(summary) for summary in elements(parse(response), "summary")]
    assert "Collapsed because it mentions “<i>river</i>”, which you muted. Show anyway" in summaries
    assert "<i>river</i>”" not in html


def test_each_link_of_a_post_leads_to_that_post(client_for, established, thread):
    """The links that carry a post's id are built from their patterns once a page: each must
    still lead where Django's `reverse` says, for the post's author on the moderating team."""
    author = established["peer_supporter"]
    post = thread.posts.get()
    services.post_edit(post=post, editor=author, body="For me it's a walk by the sea.")
    page = parse(thread_page(client_for(author), thread))
    [posts] = [part for part in elements(page, "div") if part.get("class") == "harbour-posts"]
    targets = {element.get("href") or element.get("action")
               for element in elements(posts, "a") + elements(posts, "form")}
    expected = {reverse(name, args=[post.pk]) for name in (
        "forums:react", "forums:bookmark", "forums:edit", "forums:remove", "forums:hide",
        "forums:history")} | {reverse("moderation:member", args=[author.pk])}
    assert expected <= targets


@pytest.mark.parametrize("pk", [1, 7, 918, 10**17 + 3, 10**18 - 1])
def test_a_link_built_from_its_pattern_is_the_reversed_link(pk):
    assert id_url("forums:react")(pk) == reverse("forums:react", args=[pk])
    assert id_url("moderation:member")(pk) == reverse("moderation:member", args=[pk])


def test_a_name_the_posts_template_does_not_know_fails_loudly():
    """A misspelt name would otherwise render as nothing: an empty author, a missing button."""
    template = engines["jinja2"].from_string("{{ post.misspelt }}")
    with pytest.raises(UndefinedError):
        template.render({"post": object()})
