"""Notifications for replies, quotes, mentions and moderator messages."""

from django.core import mail
from django.urls import reverse

from community import services as core_services
from community.models import Notification
from forums import services
from forums.models import IgnoredMember


def kinds_for(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_followers_hear_of_replies_but_not_of_their_own(established, thread):
    services.post_create(author=established["member"], thread=thread, body="hello")
    assert kinds_for(established["peer_supporter"]) == ["reply"]
    assert kinds_for(established["member"]) == []


def test_quote_and_mention_notify_once_each(established, thread):
    first = thread.posts.get()
    services.post_create(
        author=established["member"], thread=thread, quoted=first,
        body="Thanks @Peer Skylark, and hello @volunteer heron!",
    )
    assert kinds_for(established["peer_supporter"]) == ["quote"]
    assert kinds_for(established["volunteer"]) == ["mention"]


def test_mentions_only_reach_people_who_can_see_the_thread(established, thread):
    services.post_create(author=established["member"], thread=thread,
                         body="@Kind Lantern and @Lone Gull, you'd like this")
    assert kinds_for(established["carer"]) == []
    assert kinds_for(established["member_without_key"]) == []


def test_held_posts_notify_nobody_until_approved(established, thread):
    post = services.post_create(author=established["member"], thread=thread,
                                body="hi @Volunteer Heron", ask_for_check=True)
    assert Notification.objects.count() == 0
    services.post_approve(post=post, moderator=established["clinician"])
    assert kinds_for(established["volunteer"]) == ["mention"]
    assert kinds_for(established["peer_supporter"]) == ["reply"]


def test_ignored_members_do_not_notify(established, thread):
    IgnoredMember.objects.create(user=established["peer_supporter"],
                                 ignored=established["member"])
    services.post_create(author=established["member"], thread=thread, body="@Peer Skylark hi")
    assert kinds_for(established["peer_supporter"]) == []


def test_preferences_turn_kinds_off(established, thread):
    core_services.notification_settings_update(user=established["peer_supporter"],
                                               replies=False)
    services.post_create(author=established["member"], thread=thread, body="hello")
    assert kinds_for(established["peer_supporter"]) == []


def test_email_is_off_by_default_and_sent_after_commit_when_on(
    established, thread, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(author=established["member"], thread=thread, body="one")
    assert mail.outbox == []
    core_services.notification_settings_update(user=established["peer_supporter"], email=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.post_create(author=established["member"], thread=thread, body="two secrets")
    assert mail.outbox == [], "nothing is sent before the transaction commits"
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [established["peer_supporter"].email]
    assert "two secrets" not in mail.outbox[0].body, "emails never carry what was written"


def test_notification_page_unread_count_and_marking_read(client_for, established, thread):
    services.post_create(author=established["member"], thread=thread, body="hello")
    client = client_for(established["peer_supporter"])
    home = client.get(reverse("home")).content.decode()
    assert '<span class="harbour-count">1<span' in home
    page = client.get(reverse("notifications")).content.decode()
    assert "Quiet Harbour replied to “What helps on a low day?”" in page
    assert '<span class="harbour-count">' not in client.get(reverse("home")).content.decode()


def test_settings_page_saves(client_for, established):
    client = client_for(established["member"])
    response = client.post(reverse("notification_settings"),
                           {"replies": "on", "mentions": "on", "email": "on"})
    assert response.status_code == 302
    prefs = core_services.notification_settings_for(established["member"])
    assert (prefs.replies, prefs.quotes, prefs.mentions, prefs.email) == (True, False, True, True)


def test_notifications_vanish_when_the_post_is_hidden(client_for, established, thread):
    post = services.post_create(author=established["member"], thread=thread, body="hello")
    services.post_hide(post=post, moderator=established["clinician"], reason="Personal details")
    page = client_for(established["peer_supporter"]).get(reverse("notifications"))
    assert "replied to" not in page.content.decode()


def test_notifications_vanish_with_the_key(client_for, established, thread):
    services.post_create(author=established["member"], thread=thread, body="@Volunteer Heron")
    established["volunteer"].keys.all().delete()
    page = client_for(established["volunteer"]).get(reverse("notifications")).content.decode()
    assert "mentioned you" not in page
