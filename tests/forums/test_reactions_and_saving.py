"""Reactions, bookmarks and following."""

import json

import pytest
from django.urls import reverse

from forums import services
from forums.models import Bookmark, Reaction, Subscription
from tests.html import NS, elements, parse, text_of


def react(client, post, kind, json_response=False):
    headers = {"Accept": "application/json"} if json_response else {}
    return client.post(reverse("forums:react", args=[post.pk]), {"kind": kind}, headers=headers)


def pressed_buttons(response) -> dict[str, str]:
    tree = parse(response)
    return {
        button.text.strip(): button.get("aria-pressed")
        for button in elements(tree, "button") if button.get("aria-pressed")
    }


def test_react_without_javascript_toggles(client_for, established, thread):
    post = thread.posts.get()
    client = client_for(established["member"])
    assert react(client, post, "relate").status_code == 302
    page = client.get(reverse("forums:thread", args=[thread.pk]))
    assert pressed_buttons(page)["I relate"] == "true"
    react(client, post, "relate")
    assert not Reaction.objects.exists()


def test_the_pages_reaction_buttons_send_their_kind(client_for, established, thread):
    """What a browser without JavaScript sends: the form's fields plus the pressed button."""
    post = thread.posts.get()
    client = client_for(established["member"])
    page = parse(client.get(reverse("forums:thread", args=[thread.pk])))
    form = next(form for form in elements(page, "form") if "harbour-react" in form.get("class"))
    data = {field.get("name"): field.get("value") for field in form.iter(f"{NS}input")}
    button = next(button for button in form.iter(f"{NS}button")
                  if text_of(button).startswith("Sending support"))
    data[button.get("name")] = button.get("value")
    assert client.post(form.get("action"), data).status_code == 302
    assert list(Reaction.objects.values_list("post", "user", "kind")) == [
        (post.pk, established["member"].pk, "support")]
    assert pressed_buttons(client.get(reverse("forums:thread", args=[thread.pk]))) == {
        "I relate": "false", "Thank you": "false", "Sending support": "true"}


def test_one_of_each_kind_per_member_and_counts(client_for, established, thread):
    post = thread.posts.get()
    for role in ("member", "volunteer", "clinician"):
        react(client_for(established[role]), post, "support")
    react(client_for(established["member"]), post, "thanks")
    assert Reaction.objects.filter(post=post, kind="support").count() == 3
    assert Reaction.objects.filter(post=post, user=established["member"]).count() == 2
    text = client_for(established["admin"]).get(
        reverse("forums:thread", args=[thread.pk])).content.decode()
    assert 'Sending support <span class="harbour-reaction__count">3</span>' in text
    assert 'Thank you <span class="harbour-reaction__count">1</span>' in text


def test_react_with_javascript_gets_json(client_for, established, thread):
    post = thread.posts.get()
    response = react(client_for(established["member"]), post, "thanks", json_response=True)
    assert response.status_code == 200
    assert json.loads(response.content) == {"kind": "thanks", "active": True, "count": 1}


@pytest.mark.parametrize("kind", ["dislike", "", "<script>"])
def test_unknown_reactions_are_refused(client_for, established, thread, kind):
    response = react(client_for(established["member"]), thread.posts.get(), kind, True)
    assert response.status_code == 400
    assert "Unknown reaction" in json.loads(response.content)["error"]
    assert not Reaction.objects.exists()


def test_no_reactions_on_held_posts(client_for, established, thread):
    held = services.post_create(author=established["member"], thread=thread, body="held",
                                ask_for_check=True)
    response = react(client_for(established["clinician"]), held, "relate", True)
    assert response.status_code == 403


def test_no_reactions_without_a_key(client_for, established, thread):
    response = react(client_for(established["carer"]), thread.posts.get(), "relate")
    assert response.status_code == 404


def test_saving_and_listing_bookmarks(client_for, established, thread):
    post = thread.posts.get()
    client = client_for(established["member"])
    client.post(reverse("forums:bookmark", args=[post.pk]))
    assert Bookmark.objects.filter(user=established["member"], post=post).exists()
    saved = client.get(reverse("forums:saved")).content.decode()
    assert "walk by the river" in saved
    client.post(reverse("forums:bookmark", args=[post.pk]))
    assert not Bookmark.objects.exists()


def test_saved_list_drops_posts_that_were_hidden(client_for, established, thread):
    post = thread.posts.get()
    client = client_for(established["member"])
    client.post(reverse("forums:bookmark", args=[post.pk]))
    services.post_hide(post=post, moderator=established["clinician"], reason="Off topic")
    assert "walk by the river" not in client.get(reverse("forums:saved")).content.decode()


def test_starting_or_replying_follows_and_unfollow_works(client_for, established, thread):
    assert Subscription.objects.filter(thread=thread, user=established["peer_supporter"],
                                       following=True).exists()
    services.post_create(author=established["member"], thread=thread, body="hi")
    assert Subscription.objects.filter(thread=thread, user=established["member"],
                                       following=True).exists()
    client = client_for(established["member"])
    client.post(reverse("forums:follow", args=[thread.pk]), {"following": "0"})
    assert not Subscription.objects.get(thread=thread, user=established["member"]).following
    page = client.get(reverse("forums:thread", args=[thread.pk])).content.decode()
    assert "Follow this thread" in page
