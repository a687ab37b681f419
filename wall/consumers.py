"""The Wall over /ws/wall/<slug>/. The consumer holds no rules: it checks who is connecting,
forwards what they send to the services, and delivers numbered events.

On connecting, the browser gets {"type": "hello"}: open or closed and until when, the last event's
number, slow mode, the pin and whether it moderates; the history and who is here come with a
reload or a `state` only.

Messages from the browser (JSON):
  {"type": "resume", "last_seq": N}            -> missed events, or {"type": "reload", ...}
  {"type": "post", "client_id": "...", "body": "...", "reply_to": id?}
  {"type": "react", "message": id, "kind": "relate"|"thanks"|"support"}
  {"type": "hide", "message": id, "reason": "..."}          (moderating team)
  {"type": "pin", "message": id|null}                        (moderating team)
  {"type": "slow_mode", "seconds": N}                        (moderating team)
  {"type": "mute", "member": id, "minutes": N, "reason": ""} (moderating team)
  {"type": "state"}                            -> the hello's fields, the history, who is here
Everything else gets {"type": "error", ...}; nothing the browser sends names its author.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import datetime

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community.converters import parse_id
from community.live import user_group
from community.models import Space, User
from community.outages import SERVICE_OUTAGES
from community.twofactor import session_is_verified
from moderation.office_hours import office_hours
from moderation.selectors import is_out_of_hours_mode
from wall import permissions, presence, selectors, services
from wall.events import event_frame, skipped
from wall.fanout import wall_forget, wall_listen, wall_unlisten
from wall.models import WallMessage

MAX_FRAME_BYTES = 16 * 1024
RESUME_GRACE_SECONDS = 1.0
FRAMES_PER_MINUTE = 120
MODERATOR_ACTIONS = {"hide", "pin", "slow_mode", "mute"}
logger = logging.getLogger(__name__)
CLOSE_REFUSED = 4403
CLOSE_TOO_MANY = 4429
# Live events kept while a socket catches up or answers a frame; past this the newest are let go
# (the browser sees the gap at the next event and asks for them), so a socket that never catches
# up cannot hoard a Wall's events.
MAX_WAITING_EVENTS = 1000


class WallConsumer(AsyncWebsocketConsumer):
    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        finally:
            # A socket can end without disconnect() (its task crashed or was cancelled, as when
            # the core layer loses Redis): the Wall's listener must let it go all the same.
            if getattr(self, "listening", False):
                self.listening = False
                listener = wall_forget(self, self.space.pk)
                if listener is not None:
                    asyncio.ensure_future(listener.stop())

    async def connect(self):
        self.user = self.scope.get("user")
        self.space = await self._space_for(self.scope["url_route"]["kwargs"]["slug"])
        if self.space is None:
            await self.close(code=CLOSE_REFUSED)
            return
        # Read for every event handed out: a plain number, not a look-up through the lazy user.
        self.user_pk = self.user.pk
        if not await database_sync_to_async(self._take_socket_slot)():
            await self.close(code=CLOSE_TOO_MANY)
            return
        self.holding_slot = True
        # Live events wait until the browser has said where it is up to (resume), so the
        # replay and the live stream join without a gap or a repeat.
        self.caught_up = False
        self.resumed = False
        # While the socket's own frame is being handled, live events wait too: the answer to a
        # frame (an ack, a state) goes before the events it caused, as the browser expects.
        self.handling_frame = False
        self.waiting: list[tuple[dict, str]] = []
        self.sent_up_to = 0
        # The person's own group comes to this socket's channel; the Wall's events come through
        # the process's one listener for this Wall (wall/fanout.py).
        self.groups_joined = [user_group(self.user.pk)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await wall_listen(self, self.space.pk)
        self.listening = True
        await database_sync_to_async(presence.arrive)(self.space.pk, self.user)
        self.present = True
        await self.accept()
        hello = await self._hello()
        await self.send_json({"type": "hello", **hello})
        self.ticker = asyncio.ensure_future(self._announce_open_and_close(hello["changes_at"]))
        self.catch_up_timer = asyncio.get_running_loop().call_later(
            RESUME_GRACE_SECONDS, lambda: asyncio.ensure_future(self._no_resume_came()))
        self.frame_times: list[float] = []

    async def disconnect(self, code):
        if getattr(self, "listening", False):
            self.listening = False
            await wall_unlisten(self, self.space.pk)
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        if getattr(self, "holding_slot", False):
            await database_sync_to_async(self._release_socket_slot)()
        if getattr(self, "present", False):
            await database_sync_to_async(presence.leave)(self.space.pk, self.user)
        for task in (getattr(self, "ticker", None), getattr(self, "catch_up_timer", None)):
            if task is not None:
                task.cancel()

    async def receive(self, text_data=None, bytes_data=None):
        self.handling_frame = True
        try:
            await self._receive(text_data, bytes_data)
        except Exception:
            # Never drop the socket over one bad message; the log names the type, not the text.
            logger.exception("Wall message failed for user %s", self.user.pk)
            await self.send_error("failed", "Something went wrong with that. Please try again.")
        finally:
            try:
                if self.caught_up:
                    await self._send_waiting()
            finally:
                self.handling_frame = False

    def _too_many_frames(self) -> bool:
        now = time.monotonic()
        self.frame_times = [t for t in self.frame_times if now - t < 60]
        self.frame_times.append(now)
        return len(self.frame_times) > FRAMES_PER_MINUTE

    async def _receive(self, text_data, bytes_data):
        if self._too_many_frames():
            await self.send_error("slow_down", "Too much at once: please slow down.")
            return
        if bytes_data is not None or text_data is None:
            await self.send_error("text_only", "Send JSON text.")
            return
        if len(text_data.encode()) > MAX_FRAME_BYTES:
            await self.send_error("too_large", "That was too large to send (16 KiB at most).")
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            await self.send_error("malformed", "That message could not be read.")
            return
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_error("malformed", "That message could not be read.")
            return
        handler = getattr(self, f"on_{content['type']}", None)
        if handler is None:
            await self.send_error("unknown", "Unknown message type.")
            return
        if content["type"] != "resume":
            await self._release_waiting(0)
        try:
            if content["type"] in MODERATOR_ACTIONS:
                await self._check_still_a_moderator()
            await handler(content)
        except (ValidationError, services.Refused, PermissionDenied) as problem:
            text = " ".join(problem.messages) if isinstance(problem, ValidationError) \
                else str(problem) or "You can't do that."
            await self.send_error("refused", text, client_id=content.get("client_id"))
        except SERVICE_OUTAGES:
            # A fault of ours that passes, not of the message: the browser keeps it and sends it
            # again with the same client_id, which can't duplicate.
            logger.exception("Wall %s failed for user %s", content["type"], self.user.pk)
            await self.send_error("failed", "That hasn't gone through yet: trying again.",
                                  client_id=content.get("client_id"))
        except Exception:
            # A bug: retrying would fail the same way, so the text goes back to its writer.
            logger.exception("Wall %s broke for user %s", content["type"], self.user.pk)
            await self.send_error("refused", "Something went wrong with that. Please try again.",
                                  client_id=content.get("client_id"))

    async def send_json(self, content):
        await self.send(text_data=json.dumps(content))

    async def send_error(self, code: str, message: str, **extra):
        await self.send_json({"type": "error", "code": code, "message": message, **extra})

    # --- From the browser -------------------------------------------------------------------

    async def on_resume(self, content):
        # Live events wait while the replay is read and sent, however often the browser asks.
        self.resumed = True
        self.caught_up = False
        try:
            await self._replay(content.get("last_seq"))
        finally:
            await self._release_waiting(0)

    async def _replay(self, after):
        missed = None
        if isinstance(after, int) and not isinstance(after, bool):
            missed = await database_sync_to_async(selectors.events_since)(
                self.user, self.space, after)
        if missed is None:
            state = await self._state(announce=True)
            await self.send_json({"type": "reload", **state})
            await self._release_waiting(state["last_seq"])
            return
        for event in missed:
            await self.send(text_data=event_frame(event))
        await self._release_waiting(missed[-1]["seq"] if missed else after)

    async def on_state(self, content):
        await self.send_json({"type": "state", **await self._state()})

    async def on_post(self, content):
        reply_to = parse_id(content.get("reply_to")) if content.get("reply_to") else None
        message = await database_sync_to_async(services.wall_post)(
            author=self.user, space=self.space, client_id=content.get("client_id"),
            body=content.get("body"), reply_to_id=reply_to,
        )
        await self.send_json({
            "type": "ack", "client_id": message.client_id, "id": message.pk,
            "status": message.status, "tier": message.risk_tier,
            "out_of_hours": await database_sync_to_async(is_out_of_hours_mode)(self.space)
            if message.risk_tier else False,
        })

    async def on_react(self, content):
        message = await self._message(content.get("message"))
        await database_sync_to_async(services.wall_react)(
            message=message, user=self.user, kind=content.get("kind"))

    async def on_hide(self, content):
        message = await self._message(content.get("message"))
        await database_sync_to_async(services.wall_hide)(
            message=message, moderator=self.user, reason=content.get("reason") or "")

    async def on_pin(self, content):
        message = None
        if content.get("message") is not None:
            message = await self._message(content.get("message"))
        await database_sync_to_async(services.wall_pin)(
            space=self.space, moderator=self.user, message=message)

    async def on_slow_mode(self, content):
        await database_sync_to_async(services.wall_slow_mode)(
            space=self.space, moderator=self.user, seconds=content.get("seconds"))

    async def on_mute(self, content):
        member = await database_sync_to_async(
            lambda: User.objects.filter(pk=parse_id(content.get("member")) or 0).first())()
        if member is None:
            raise ValidationError("No such member.")
        await database_sync_to_async(services.wall_mute)(
            space=self.space, moderator=self.user, member=member,
            minutes=content.get("minutes"), reason=content.get("reason") or "")

    # --- From the channel layer ---------------------------------------------------------------

    async def wall_event_shared(self, event: dict, text: str):
        """A Wall event from this process's listener, with the text every socket sends."""
        if event.get("only_for") not in (None, self.user_pk):
            event = skipped(event["seq"])
            text = event_frame(event)
        if not self.caught_up or self.handling_frame:
            if len(self.waiting) < MAX_WAITING_EVENTS:
                self.waiting.append((event, text))
            return
        await self._deliver(event, text)

    async def _deliver(self, event: dict, text: str):
        # Live events can arrive late (the pub/sub layer subscribes after the catch-up has been
        # read, and processes race): one already sent, live or replayed, is not sent again.
        if event["seq"] <= self.sent_up_to:
            return
        self.sent_up_to = event["seq"]
        await self.send(text_data=text)

    async def _no_resume_came(self):
        """A browser that never said where it was up to starts from the latest history."""
        if self.caught_up or self.resumed:
            return
        state = await self._state()
        if self.resumed:  # it said so while the history was read: its resume answers it
            return
        await self.send_json({"type": "reload", **state})
        await self._release_waiting(state["last_seq"])

    async def _release_waiting(self, sent_up_to: int):
        """Deliver live events that arrived during the catch-up, skipping those replayed. Events
        arriving while these go out wait their turn, so the browser sees them in order."""
        if self.caught_up:
            return
        self.sent_up_to = max(self.sent_up_to, sent_up_to)
        await self._send_waiting()
        self.caught_up = True

    async def _send_waiting(self):
        while self.waiting:
            waiting, self.waiting = sorted(self.waiting, key=lambda pair: pair[0]["seq"]), []
            for event, text in waiting:
                await self._deliver(event, text)

    async def wall_muted(self, event):
        if event["space"] == self.space.pk:
            await self.send_json({"type": "muted", "until": event["until"]})

    async def force_disconnect(self, event):
        await self.close(code=CLOSE_REFUSED)

    # --- Helpers ------------------------------------------------------------------------------

    async def _announce_open_and_close(self, changes_at: str | None):
        """At each opening or closing, make sure it is announced (once, by whoever is first).
        `changes_at`: the next one, as the hello gave it."""
        while changes_at is not None:
            wait = (datetime.fromisoformat(changes_at) - timezone.now()).total_seconds()
            await asyncio.sleep(max(wait, 0) + 0.5)
            await database_sync_to_async(services.wall_sync_open_state)(space=self.space)
            hours = await database_sync_to_async(office_hours)(self.space)
            changes_at = hours.changes_at.isoformat() if hours.changes_at else None

    @database_sync_to_async
    def _space_for(self, slug):
        user = self.user
        if user is None or not user.is_authenticated:
            return None
        space = Space.objects.visible_to(user).filter(slug=slug).first()
        if space is None or not permissions.can_join(user, space):
            return None
        self.verified = session_is_verified(user, self.scope.get("session"))
        return space

    @database_sync_to_async
    def _check_still_a_moderator(self):
        """Roles change while sockets stay open: read the person afresh before acting as a
        moderator, and require the second factor."""
        fresh = User.objects.filter(pk=self.user.pk, is_active=True).first()
        if fresh is None or not permissions.can_moderate(fresh, self.space,
                                                         verified=self.verified):
            raise PermissionDenied("Moderating the Wall needs the moderating team's sign-in "
                                   "with two-factor authentication.")
        self.user = fresh

    @database_sync_to_async
    def _message(self, pk):
        message = WallMessage.objects.filter(pk=parse_id(pk) or 0, space=self.space).first()
        if message is None:
            raise ValidationError("No such message.")
        return message

    @database_sync_to_async
    def _hello(self) -> dict:
        """What a browser needs as it connects, before it resumes: the Wall's state, without the
        history or who is here. Its page showed those, and its resume brings what it missed
        (or a reload with the history), so a crowd connecting at once is not sent them twice."""
        return self._summary(announce=True)

    @database_sync_to_async
    def _state(self, *, announce: bool = False) -> dict:
        """The Wall's state with its latest history and who is here: a reload, or `state`.
        A reload after a resume that could not be served announces an opening or closing too,
        as the hello does."""
        summary = self._summary(announce=announce)  # before the history: nothing slips between
        return {
            **summary,
            "history": selectors.history_payload(self.user, self.space,
                                                 moderating=summary["moderator"]),
            "here": presence.names(self.space.pk),
        }

    def _summary(self, *, announce: bool) -> dict:
        hours = office_hours(self.space)
        if announce:
            services.wall_sync_open_state(space=self.space, hours=hours)
        state = selectors.state_of(self.space)
        return {
            "open": hours.is_open,
            "changes_at": hours.changes_at.isoformat() if hours.changes_at else None,
            "last_seq": state.last_seq,
            "slow_mode": state.slow_mode_seconds,
            "pinned": selectors.pinned_payload(self.space, state),
            "moderator": permissions.can_moderate(self.user, self.space, verified=self.verified),
        }

    def _slot_key(self) -> str:
        return f"wall_sockets:{self.user.pk}"

    def _take_socket_slot(self) -> bool:
        key = self._slot_key()
        cache.add(key, 0, timeout=24 * 60 * 60)
        if cache.incr(key) > settings.WALL_SOCKETS_PER_MEMBER:
            cache.decr(key)
            return False
        return True

    def _release_socket_slot(self) -> None:
        try:
            cache.decr(self._slot_key())
        except ValueError:
            pass
