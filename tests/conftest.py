import os
import zoneinfo
from datetime import datetime

import pytest
import time_machine
from django.core.cache import cache
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from community.models import Key, Role, Space, User
from community.permissions import is_moderating_team

PASSWORD = "a-long-test-password-77"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def talking(db):
    return Space.objects.create(name="Talking Therapies", slug="talking-therapies")


@pytest.fixture
def carers_space(db):
    return Space.objects.create(
        name="Relatives and Carers", slug="relatives-and-carers", audience=Space.Audience.CARERS
    )


def make_user(role: str, name: str, *, spaces=(), moderates=False, **fields) -> User:
    user = User.objects.create_user(
        f"{name.lower().replace(' ', '.')}@example.org", PASSWORD, display_name=name, role=role,
        is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN, **fields,
    )
    for space in spaces:
        Key.objects.create(user=user, space=space, moderates=moderates)
    return user


@pytest.fixture
def people(talking, carers_space):
    """One account per role, with the keys a real community would give them, plus a member
    who holds no key at all."""
    return {
        "member": make_user(Role.MEMBER, "Quiet Harbour", spaces=[talking]),
        "member_without_key": make_user(Role.MEMBER, "Lone Gull"),
        "carer": make_user(Role.CARER, "Kind Lantern", spaces=[carers_space]),
        "peer_supporter": make_user(
            Role.PEER_SUPPORTER, "Peer Skylark", spaces=[talking], moderates=True
        ),
        "volunteer": make_user(Role.VOLUNTEER, "Volunteer Heron", spaces=[talking], moderates=True),
        "clinician": make_user(
            Role.CLINICIAN, "Dr Willow", spaces=[talking, carers_space], moderates=True
        ),
        "admin": make_user(Role.ADMIN, "Harbour Admin"),
        "suspended": suspended_member(talking),
    }


def suspended_member(space) -> User:
    """A member with the key to the space, whose account a moderator has paused everywhere."""
    from moderation.models import Suspension

    user = make_user(Role.MEMBER, "Paused Tern", spaces=[space])
    # From long ago and open-ended, so it is in force at whatever time a test travels to.
    Suspension.objects.create(user=user, reason="Posting other members' details.",
                              starts_at=datetime(2020, 1, 1, tzinfo=LONDON))
    return user


def verify_second_factor(client, user) -> None:
    """Sign the client's session in with a confirmed authenticator, as after entering a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or \
        TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def client_for(client):
    """A signed-in client. The moderating team also passes two-factor authentication unless
    `second_factor=False`."""
    from django.test import Client

    def _client(user, *, second_factor=True):
        if user is None:
            return Client()
        signed_in = Client()
        signed_in.force_login(user)
        if second_factor and is_moderating_team(user):
            verify_second_factor(signed_in, user)
        return signed_in

    return _client


LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
SATURDAY_10AM = datetime(2026, 11, 21, 10, 0, tzinfo=LONDON)


@pytest.fixture
def in_office_hours():
    """A Monday morning, when the Wall is open (sessions are made inside, so they are valid)."""
    with time_machine.travel(MONDAY_10AM, tick=True) as traveller:
        yield traveller


@pytest.fixture
def out_of_hours():
    with time_machine.travel(SATURDAY_10AM, tick=True) as traveller:
        yield traveller


def message_to_user_group(user, act) -> dict:
    """What every live connection of this person receives when act() runs (on-commit sends
    included): a channel joins their group, act() runs, and the first message comes back. All
    in one event loop, as in a consumer: the pub/sub layer keeps its channels per loop."""
    import asyncio

    from asgiref.sync import async_to_sync, sync_to_async
    from channels.layers import get_channel_layer

    from community.live import user_group

    layer = get_channel_layer()

    async def listen() -> dict:
        channel = await layer.new_channel()
        await layer.group_add(user_group(user.pk), channel)
        await sync_to_async(act)()
        return await asyncio.wait_for(layer.receive(channel), 10)

    return async_to_sync(listen)()


def in_ci() -> bool:
    """.ci/run sets CI=true: there a missing service or browser fails a test, never skips it."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing_outside_ci(message: str):
    """A service or browser this test needs is missing: fail in CI, skip (saying how to get it)
    on a developer's machine, where `make test` runs on the embedded defaults."""
    if in_ci():
        pytest.fail(f"FATAL in CI: {message}", pytrace=False)
    pytest.skip(message)
