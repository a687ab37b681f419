"""The Wall's socket, rule by rule, with WebsocketCommunicator and the real ASGI application."""

import json
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.utils import timezone

from community import services as core_services
from community.models import Notification
from moderation.models import ContentStatus, ReviewItem, Suspension
from tests.wall.conftest import wall_socket
from wall import services
from wall.models import WallEvent, WallMessage

pytestmark = pytest.mark.django_db(transaction=True)


async def connect(socket, *, resume=True):
    """Connect as the browser does: take the hello, then say where it is up to."""
    connected, _ = await socket.connect()
    assert connected
    hello = await socket.receive_json_from(timeout=5)
    assert hello["type"] == "hello"
    if resume:
        await socket.send_json_to({"type": "resume", "last_seq": hello["last_seq"]})
    return hello


async def next_of(socket, wanted: str, timeout=5):
    while True:
        message = await socket.receive_json_from(timeout=timeout)
        if message["type"] == wanted:
            return message


async def next_event(socket, kind: str, timeout=5):
    """The next numbered event of this kind (opening announcements may come first)."""
    while True:
        event = await next_of(socket, "event", timeout)
        if event["kind"] == kind:
            return event


def run(scenario):
    return async_to_sync(scenario)()


def test_posting_reaches_everyone_connected_in_order(people, talking, in_office_hours):
    author, reader = wall_socket(people["member"]), wall_socket(people["volunteer"])

    async def scenario():
        await connect(author)
        hello = await connect(reader)
        await author.send_json_to({"type": "post", "client_id": "abcdefgh1", "body": "*Hello* all"})
        ack = await next_of(author, "ack")
        event = await next_event(reader, "message")
        assert event["seq"] == hello["last_seq"] + 1
        assert event["payload"]["id"] == ack["id"]
        assert event["payload"]["body_html"] == "<p><em>Hello</em> all</p>"
        assert event["payload"]["author"] == "Quiet Harbour"
        assert json.loads(json.dumps(event)) == event, "plain JSON only"
        await author.disconnect()
        await reader.disconnect()

    run(scenario)
    assert WallMessage.objects.get().status == ContentStatus.PUBLISHED


def test_moderators_messages_carry_their_badge(people, talking, in_office_hours):
    moderator = wall_socket(people["clinician"])

    async def scenario():
        await connect(moderator)
        await moderator.send_json_to({"type": "post", "client_id": "clin00001", "body": "Hi"})
        event = await next_event(moderator, "message")
        assert event["payload"]["badge"] == "Clinician"
        await moderator.disconnect()

    run(scenario)


def test_a_resend_creates_exactly_one_message(people, talking, in_office_hours):
    socket = wall_socket(people["member"])

    async def scenario():
        await connect(socket)
        for _ in range(3):
            await socket.send_json_to({"type": "post", "client_id": "same-id-1", "body": "Once"})
            await next_of(socket, "ack")
        await socket.disconnect()

    run(scenario)
    assert WallMessage.objects.count() == 1
    assert WallEvent.objects.filter(kind="message").count() == 1


def test_resume_sends_what_was_missed_in_order_without_duplicates(people, talking,
                                                                  in_office_hours):
    for n in range(5):
        services.wall_post(author=people["volunteer"], space=talking, client_id=f"vol-msg-{n}",
                           body=f"message {n}")
    socket = wall_socket(people["member"])

    async def scenario():
        hello = await connect(socket, resume=False)  # connecting announces the Wall is open
        await socket.send_json_to({"type": "resume", "last_seq": 2})
        expected = list(range(3, hello["last_seq"] + 1))
        seen = [(await next_of(socket, "event"))["seq"] for _ in expected]
        assert seen == expected
        assert await socket.receive_nothing(timeout=0.3), "nothing twice"
        await socket.disconnect()

    run(scenario)


@pytest.mark.parametrize("last_seq", [-1, 10_000, "3", None, True])
def test_resume_from_nonsense_or_too_long_ago_reloads_history(people, talking, last_seq,
                                                             in_office_hours, settings):
    settings.WALL_RESUME_LIMIT = 2
    for n in range(4):
        services.wall_post(author=people["volunteer"], space=talking, client_id=f"old-msg-{n}",
                           body=f"message {n}")
    socket = wall_socket(people["member"])

    async def scenario():
        await connect(socket, resume=False)
        await socket.send_json_to({"type": "resume", "last_seq": last_seq})
        reload = await next_of(socket, "reload")
        latest = reload["last_seq"]
        assert latest >= 4
        assert [m["body_html"] for m in reload["history"]][-1] == "<p>message 3</p>"
        await socket.send_json_to({"type": "resume", "last_seq": 0})  # too far behind
        assert (await next_of(socket, "reload"))["last_seq"] == latest
        await socket.disconnect()

    run(scenario)


def test_held_messages_reach_only_their_author(people, talking, in_office_hours, risk_phrases):
    author, reader = wall_socket(people["member"]), wall_socket(people["volunteer"])

    async def scenario():
        await connect(author)
        await connect(reader)
        await author.send_json_to({"type": "post", "client_id": "risky-001",
                                   "body": "I want to end my life"})
        ack = await next_of(author, "ack")
        assert ack["status"] == "held"
        own = await next_event(author, "message")
        assert own["payload"]["status"] == "held"
        # Everyone else gets the number alone, so their browsers see no gap, and nothing of it.
        placeholder = await next_of(reader, "event")
        assert placeholder == {"type": "event", "seq": own["seq"], "kind": "skip", "payload": {}}
        assert await reader.receive_nothing(timeout=0.5)
        await author.disconnect()
        await reader.disconnect()

    run(scenario)
    message = WallMessage.objects.get()
    assert ReviewItem.objects.get(target_type="wall.message", target_id=message.pk).tier == "high"


def test_a_held_message_leaves_no_gap_for_the_others(people, talking, in_office_hours,
                                                     risk_phrases):
    """Without its number the others' browsers would see a gap at the next event and ask for the
    missing one forever: catching up brings a placeholder in its place, then what came next."""
    before = services.wall_post(author=people["volunteer"], space=talking,
                                client_id="before-held", body="Good morning")
    services.wall_post(author=people["member"], space=talking, client_id="held-0001",
                       body="I want to end my life")
    services.wall_post(author=people["volunteer"], space=talking, client_id="after-held",
                       body="Welcome, everyone")
    start = WallEvent.objects.get(payload__client_id=before.client_id).seq
    reader = wall_socket(people["peer_supporter"])

    async def scenario():
        await connect(reader, resume=False)
        await reader.send_json_to({"type": "resume", "last_seq": start})
        replay = [await next_of(reader, "event") for _ in range(2)]
        await reader.disconnect()
        return replay

    held, after = run(scenario)
    assert held == {"type": "event", "seq": start + 1, "kind": "skip", "payload": {}}
    assert after["seq"] == start + 2 and after["payload"]["client_id"] == "after-held"


def test_hiding_removes_it_everywhere_and_tells_the_author(people, talking, in_office_hours):
    message = services.wall_post(author=people["member"], space=talking,
                                 client_id="to-hide-1", body="My phone is 07700 900123")
    moderator, reader = wall_socket(people["volunteer"]), wall_socket(people["peer_supporter"])

    async def scenario():
        await connect(moderator)
        hello = await connect(reader)
        await moderator.send_json_to({"type": "hide", "message": message.pk,
                                      "reason": "Phone numbers stay private"})
        event = await next_event(reader, "hide")
        assert event == {"type": "event", "seq": hello["last_seq"] + 1, "kind": "hide",
                         "payload": {"id": message.pk}}
        await moderator.disconnect()
        await reader.disconnect()

    run(scenario)
    notice = Notification.objects.get(recipient=people["member"], kind="moderator")
    assert notice.message == "Phone numbers stay private"
    original = WallEvent.objects.get(kind="message")
    assert original.payload["body_html"] == "", "a later resume cannot bring the text back"


def test_members_cannot_moderate(people, talking, in_office_hours):
    message = services.wall_post(author=people["volunteer"], space=talking,
                                 client_id="keep-me-1", body="Stay")
    socket = wall_socket(people["member"])

    async def scenario():
        await connect(socket)
        for attempt in ({"type": "hide", "message": message.pk, "reason": "x"},
                        {"type": "pin", "message": message.pk},
                        {"type": "slow_mode", "seconds": 60},
                        {"type": "mute", "member": people["volunteer"].pk, "minutes": 5}):
            await socket.send_json_to(attempt)
            error = await next_of(socket, "error")
            assert error["code"] == "refused"
        await socket.disconnect()

    run(scenario)
    message.refresh_from_db()
    assert message.status == ContentStatus.PUBLISHED


def test_pin_and_slow_mode(people, talking, in_office_hours):
    message = services.wall_post(author=people["volunteer"], space=talking,
                                 client_id="pin-me-01", body="Welcome, everyone")
    moderator, member = wall_socket(people["volunteer"]), wall_socket(people["member"])

    async def scenario():
        await connect(moderator)
        await connect(member)
        await moderator.send_json_to({"type": "pin", "message": message.pk})
        pinned = await next_event(member, "pin")
        assert pinned["payload"]["message"]["id"] == message.pk
        await moderator.send_json_to({"type": "slow_mode", "seconds": 60})
        assert (await next_event(member, "slow_mode"))["payload"] == {"seconds": 60}
        await member.send_json_to({"type": "post", "client_id": "slow-0001", "body": "one"})
        await next_of(member, "ack")
        await member.send_json_to({"type": "post", "client_id": "slow-0002", "body": "two"})
        error = await next_of(member, "error")
        assert "Slow mode is on" in error["message"] and error["client_id"] == "slow-0002"
        await moderator.disconnect()
        await member.disconnect()

    run(scenario)


def test_muted_members_cannot_post_for_the_period(people, talking, in_office_hours):
    member = wall_socket(people["member"])
    moderator = wall_socket(people["volunteer"])

    async def scenario():
        await connect(member)
        await connect(moderator)
        await moderator.send_json_to({"type": "mute", "member": people["member"].pk,
                                      "minutes": 10, "reason": "Cooling off"})
        assert (await next_of(member, "muted"))["until"]
        await member.send_json_to({"type": "post", "client_id": "muted-001", "body": "hi"})
        assert "paused your posting" in (await next_of(member, "error"))["message"]
        await member.disconnect()
        await moderator.disconnect()

    run(scenario)
    assert not WallMessage.objects.exists()


def test_rate_limit_is_per_member_and_says_why(people, talking, in_office_hours, settings):
    settings.WALL_MESSAGES_PER_MINUTE = 3
    member, other = wall_socket(people["member"]), wall_socket(people["peer_supporter"])

    async def scenario():
        await connect(member)
        await connect(other)
        for n in range(3):
            await member.send_json_to({"type": "post", "client_id": f"rate-000{n}", "body": "x"})
            await next_of(member, "ack")
        await member.send_json_to({"type": "post", "client_id": "rate-0009", "body": "x"})
        assert "posting quickly" in (await next_of(member, "error"))["message"]
        await other.send_json_to({"type": "post", "client_id": "other-001", "body": "fine"})
        assert (await next_of(other, "ack"))["status"] == "published"
        await member.disconnect()
        await other.disconnect()

    run(scenario)


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json", "malformed"),
        ("[1, 2]", "malformed"),
        ('{"type": 5}', "malformed"),
        ('{"type": "explode"}', "unknown"),
        ('{"type": "post", "client_id": "x", "body": "short id"}', "refused"),
        ('{"type": "post", "client_id": "good-id-1", "body": ""}', "refused"),
        ('{"type": "post", "client_id": "good-id-2", "body": ' + json.dumps("y" * 1001) + "}",
         "refused"),
        ('{"type": "post", "client_id": "good-id-3", "body": {"a": 1}}', "refused"),
        ('{"type": "react", "message": "abc", "kind": "relate"}', "refused"),
        ('{"type": "react", "message": 99999999999999999999, "kind": "relate"}', "refused"),
        ('{"type": "' + "z" * 20_000 + '"}', "too_large"),
    ],
)
def test_bad_frames_get_an_error_event_and_the_socket_stays_open(people, talking, frame, code,
                                                                 in_office_hours):
    socket = wall_socket(people["member"])

    async def scenario():
        await connect(socket)
        await socket.send_to(text_data=frame)
        error = await next_of(socket, "error")
        assert error["code"] == code
        await socket.send_json_to({"type": "state"})
        assert (await next_of(socket, "state"))["open"] is True
        await socket.disconnect()

    run(scenario)
    assert not WallMessage.objects.exists()


def test_identity_comes_from_the_session_only(people, talking, in_office_hours):
    socket = wall_socket(people["member"])

    async def scenario():
        await connect(socket)
        await socket.send_json_to({"type": "post", "client_id": "spoof-001", "body": "hi",
                                   "author": people["clinician"].pk, "role": "admin"})
        await next_of(socket, "ack")
        await socket.disconnect()

    run(scenario)
    assert WallMessage.objects.get().author == people["member"]


@pytest.mark.parametrize("who", ["anonymous", "member_without_key", "carer", "suspended"])
def test_connections_that_are_refused(people, talking, who, in_office_hours):
    if who == "suspended":
        Suspension.objects.create(user=people["member"], reason="x",
                                  ends_at=timezone.now() + timedelta(days=1))
        user = people["member"]
    else:
        user = people.get(who)
    socket = wall_socket(user)

    async def scenario():
        connected, _ = await socket.connect()
        assert not connected

    run(scenario)


def test_at_most_five_sockets_per_member(people, talking, in_office_hours):
    sockets = [wall_socket(people["member"]) for _ in range(7)]

    async def scenario():
        for socket in sockets[:5]:
            await connect(socket)
        connected, code = await sockets[5].connect()
        assert not connected and code == 4429
        await sockets[0].disconnect()
        again = sockets[6]
        await connect(again)
        for socket in sockets[1:5] + [again]:
            await socket.disconnect()

    run(scenario)


@pytest.mark.parametrize("how", ["key", "suspension", "sign_out"])
def test_losing_access_closes_open_sockets(people, talking, how, in_office_hours):
    socket = wall_socket(people["member"])

    async def scenario():
        await connect(socket)
        if how == "key":
            await sync_to_async(core_services.key_revoke)(
                space=talking, user=people["member"], revoked_by=people["clinician"])
        elif how == "suspension":
            from moderation import services as moderation_services

            await sync_to_async(moderation_services.member_suspend)(
                member=people["member"], moderator=people["clinician"], reason="x", days=14)
        else:
            from community.live import disconnect_user

            await sync_to_async(disconnect_user)(people["member"].pk, "signed_out")
        output = await socket.receive_output(timeout=5)
        while output["type"] != "websocket.close":
            output = await socket.receive_output(timeout=5)
        assert output["type"] == "websocket.close"

    run(scenario)


def test_reactions_are_numbered_events(people, talking, in_office_hours):
    message = services.wall_post(author=people["volunteer"], space=talking,
                                 client_id="react-me-1", body="Good news today")
    socket = wall_socket(people["member"])

    async def scenario():
        await connect(socket)
        await socket.send_json_to({"type": "react", "message": message.pk, "kind": "support"})
        event = await next_event(socket, "reaction")
        assert event["payload"] == {"id": message.pk, "kind": "support", "count": 1}
        await socket.disconnect()

    run(scenario)


def test_history_carries_reaction_counts(people, talking, in_office_hours):
    message = services.wall_post(author=people["volunteer"], space=talking,
                                 client_id="counted-01", body="Counted")
    services.wall_react(message=message, user=people["member"], kind="thanks")
    socket = wall_socket(people["peer_supporter"])

    async def scenario():
        await connect(socket)
        await socket.send_json_to({"type": "state"})
        [shown] = [m for m in (await next_of(socket, "state"))["history"] if m["id"] == message.pk]
        assert shown["reactions"] == {"thanks": 1}
        await socket.disconnect()

    run(scenario)


def test_a_browser_that_never_resumes_gets_the_latest_history(people, talking, in_office_hours):
    socket = wall_socket(people["member"])

    async def scenario():
        await connect(socket, resume=False)
        await sync_to_async(services.wall_post)(author=people["volunteer"], space=talking,
                                                client_id="while-wait", body="Meanwhile")
        reload = await next_of(socket, "reload")
        assert "<p>Meanwhile</p>" in [m["body_html"] for m in reload["history"]]
        await socket.disconnect()

    run(scenario)


@pytest.mark.parametrize("frame", ["[" * 5000, '{"type": "post", "client_id": "nul-00001", '
                                   '"body": "a\\u0000b"}',
                                   '{"type": "post", "client_id": "sur-00001", '
                                   '"body": "a\\ud800b"}'])
def test_hostile_frames_never_drop_the_socket(people, talking, frame, in_office_hours):
    socket = wall_socket(people["member"])

    async def scenario():
        await connect(socket)
        await socket.send_to(text_data=frame)
        assert (await next_of(socket, "error"))["code"] in {"malformed", "refused"}
        await socket.send_json_to({"type": "state"})
        assert (await next_of(socket, "state"))["type"] == "state"
        await socket.disconnect()

    run(scenario)
    assert not WallMessage.objects.exists()


def test_moderating_on_the_wall_needs_the_second_factor(people, talking, in_office_hours,
                                                        risk_phrases):
    from tests.wall.conftest import session_cookie

    held = services.wall_post(author=people["member"], space=talking, client_id="held-2fa-1",
                              body="I want to end my life")
    cookie = session_cookie(people["volunteer"], second_factor=False)
    socket = wall_socket(people["volunteer"], cookie=cookie)

    async def scenario():
        hello = await connect(socket)
        assert hello["moderator"] is False
        await socket.send_json_to({"type": "state"})
        assert held.pk not in [m["id"] for m in (await next_of(socket, "state"))["history"]]
        await socket.send_json_to({"type": "slow_mode", "seconds": 60})
        assert "two-factor" in (await next_of(socket, "error"))["message"]
        await socket.disconnect()

    run(scenario)


def test_a_demoted_moderator_cannot_act_on_an_open_socket(people, talking, in_office_hours):
    socket = wall_socket(people["volunteer"])

    async def scenario():
        await connect(socket)
        from community.models import User

        await sync_to_async(User.objects.filter(pk=people["volunteer"].pk).update)(role="member")
        await socket.send_json_to({"type": "slow_mode", "seconds": 60})
        assert (await next_of(socket, "error"))["code"] == "refused"
        await socket.disconnect()

    run(scenario)


def test_hiding_the_pinned_message_unpins_it_everywhere(people, talking, in_office_hours):
    message = services.wall_post(author=people["member"], space=talking,
                                 client_id="pinned-01", body="My address is 1 Secret Road")
    services.wall_pin(space=talking, moderator=people["clinician"], message=message)
    services.wall_hide(message=message, moderator=people["clinician"], reason="Address")
    assert all(e.payload == {"message": None} for e in WallEvent.objects.filter(kind="pin"))
    assert WallEvent.objects.filter(kind="pin").count() == 2
    socket = wall_socket(people["peer_supporter"])

    async def scenario():
        await connect(socket, resume=False)
        await socket.send_json_to({"type": "resume", "last_seq": 0})
        replayed = []
        while True:
            event = await next_of(socket, "event")
            replayed.append(event)
            if event["kind"] == "pin" and event["seq"] > 2:
                break
        assert "Secret Road" not in json.dumps(replayed)
        await socket.disconnect()

    run(scenario)


def test_a_risk_match_is_acknowledged_with_support(people, talking, in_office_hours,
                                                   risk_phrases):
    socket = wall_socket(people["member"])

    async def scenario():
        await connect(socket)
        await socket.send_json_to({"type": "post", "client_id": "support-1",
                                   "body": "Everything feels hopeless"})
        ack = await next_of(socket, "ack")
        assert ack["tier"] == "medium" and ack["status"] == "published"
        await socket.disconnect()

    run(scenario)


def test_who_is_here_leaves_out_quiet_readers(people, talking, in_office_hours):
    people["peer_supporter"].quiet_reading = True
    people["peer_supporter"].save()
    quiet, present = wall_socket(people["peer_supporter"]), wall_socket(people["volunteer"])
    observer = wall_socket(people["member"])

    async def scenario():
        await connect(quiet)
        await connect(present)
        await connect(observer)
        await observer.send_json_to({"type": "state"})
        here = (await next_of(observer, "state"))["here"]
        assert "Volunteer Heron" in here and "Quiet Harbour" in here
        assert "Peer Skylark" not in here
        await present.disconnect()
        await observer.send_json_to({"type": "state"})
        assert "Volunteer Heron" not in (await next_of(observer, "state"))["here"]
        await quiet.disconnect()
        await observer.disconnect()

    run(scenario)


def test_a_flooding_socket_is_held_back_and_others_are_unaffected(people, talking,
                                                                  in_office_hours, settings):
    flooder = wall_socket(people["member"])
    speaker = wall_socket(people["peer_supporter"])
    listener = wall_socket(people["volunteer"])

    async def scenario():
        for socket in (flooder, speaker, listener):
            await connect(socket)
        said = []
        for burst in range(3):
            for n in range(100):
                await flooder.send_json_to({"type": "post", "client_id": f"flood-{burst}-{n:03d}",
                                            "body": "flood"})
            await speaker.send_json_to({"type": "post", "client_id": f"speak-{burst:04d}",
                                        "body": f"Still here {burst}"})
            said.append((await next_of(speaker, "ack"))["id"])
        heard, flood_heard = [], 0
        while len(heard) < len(said):
            event = await next_event(listener, "message")
            if event["payload"]["author"] == "Peer Skylark":
                heard.append(event["payload"]["id"])
            else:
                flood_heard += 1
        replies = []  # one answer (an ack or an error) to each of the 300 frames
        while len(replies) < 300:
            reply = await flooder.receive_json_from(timeout=10)
            if reply["type"] in ("ack", "error"):
                replies.append(reply)
        await flooder.send_json_to({"type": "state"})
        still_open = await next_of(flooder, "error")
        for socket in (flooder, speaker, listener):
            await socket.disconnect()
        return said, heard, flood_heard, replies, still_open

    said, heard, flood_heard, replies, still_open = async_to_sync(scenario)()
    assert heard == said, "every message from the others arrives, in order"
    errors = {reply["code"] for reply in replies if reply["type"] == "error"}
    assert errors == {"slow_down", "refused"}, "held back by the frame and posting limits"
    assert still_open["type"] == "error" and still_open["code"] == "slow_down", \
        "the flooder's socket stays open, and keeps saying why"
    flooded = WallMessage.objects.filter(author=people["member"]).count()
    assert flooded == settings.WALL_MESSAGES_PER_MINUTE
    assert flood_heard <= flooded
