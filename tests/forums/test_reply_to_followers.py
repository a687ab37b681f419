"""A reply tells every follower in a fixed number of queries, however many follow (the posting
benchmark, docs/performance.md, found one query after another per follower); who is told and
who is not stays as before."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import services as core_services
from community.models import Break, Key, Notification
from forums import services
from forums.models import Subscription
from tests.conftest import make_user


def followers(thread, space, count: int, start: int = 0):
    people = [make_user("member", f"Follower {n}", spaces=[space])
              for n in range(start, start + count)]
    for person in people:
        Subscription.objects.create(thread=thread, user=person)
    return people


def queries_for_reply(thread, author) -> int:
    with CaptureQueriesContext(connection) as captured:
        services.post_create(author=author, thread=thread, body="Thinking of you all.")
    return len(captured)


def test_the_queries_of_a_reply_do_not_grow_with_its_followers(established, thread, talking):
    author = established["member"]
    followers(thread, talking, 2)
    queries_for_reply(thread, author)  # the author's first reply also makes their own follow
    few = queries_for_reply(thread, author)
    followers(thread, talking, 25, start=2)
    many = queries_for_reply(thread, author)
    assert many == few
    # The thread's author follows it too: 3, 3, then 28 told.
    assert Notification.objects.filter(kind=Notification.Kind.REPLY).count() == 3 + 3 + 28


def test_followers_who_lost_their_key_turned_replies_off_or_left_hear_nothing(
        established, thread, talking):
    told, keyless, quiet, inactive, away = followers(thread, talking, 5)
    Key.objects.filter(user=keyless).delete()
    core_services.notification_settings_update(user=quiet, replies=False)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    Subscription.objects.filter(user=away).update(following=False)
    services.post_create(author=established["member"], thread=thread, body="Hello all")
    told_now = set(Notification.objects.filter(kind=Notification.Kind.REPLY)
                   .values_list("recipient__display_name", flat=True))
    assert told_now == {told.display_name, established["peer_supporter"].display_name}


def test_an_admin_following_without_a_key_is_told(established, thread):
    Subscription.objects.create(thread=thread, user=established["admin"])
    services.post_create(author=established["member"], thread=thread, body="Hello all")
    assert Notification.objects.filter(recipient=established["admin"]).count() == 1


def test_email_goes_after_commit_and_not_during_a_break(established, thread, talking,
                                                        django_capture_on_commit_callbacks,
                                                        mailoutbox):
    emailed, resting = followers(thread, talking, 2)
    for person in (emailed, resting):
        core_services.notification_settings_update(user=person, email=True)
    Break.objects.create(user=resting, until=timezone.now() + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(author=established["member"], thread=thread, body="Hello all")
    assert [message.to for message in mailoutbox] == [[emailed.email]]
    assert Notification.objects.filter(recipient=resting).count() == 1
