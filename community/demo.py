"""The demo community `manage.py seed_demo` builds: spaces and one account per role."""

from __future__ import annotations

from dataclasses import dataclass

from community.models import Role, Space

DEMO_PASSWORD = "harbour-demo-2026"


@dataclass(frozen=True)
class DemoSpace:
    slug: str
    name: str
    audience: str
    description: str


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    avatar: str
    role: str
    spaces: tuple[str, ...]
    moderates: bool = False


TALKING = "talking-therapies"
CARERS = "relatives-and-carers"

DEMO_SPACES = (
    DemoSpace(
        TALKING, "Talking Therapies", Space.Audience.MEMBERS,
        "For people who have finished a course of talking therapy: share what helps, how it's "
        "going, and what's hard.",
    ),
    DemoSpace(
        CARERS, "Relatives and Carers", Space.Audience.CARERS,
        "For relatives, partners, friends and carers of someone living with depression.",
    ),
)

DEMO_ACCOUNTS = (
    DemoAccount("admin@example.org", "Harbour Admin", "lighthouse", Role.ADMIN, (TALKING, CARERS)),
    DemoAccount(
        "clinician@example.org", "Dr Willow", "tree", Role.CLINICIAN, (TALKING, CARERS), True
    ),
    DemoAccount("peer@example.org", "Peer Skylark", "bird", Role.PEER_SUPPORTER, (TALKING,), True),
    DemoAccount(
        "volunteer@example.org", "Volunteer Heron", "sailboat", Role.VOLUNTEER, (TALKING, CARERS),
        True,
    ),
    DemoAccount("member@example.org", "Quiet Harbour", "wave", Role.MEMBER, (TALKING,)),
    DemoAccount("carer@example.org", "Kind Lantern", "sun", Role.CARER, (CARERS,)),
)


# Content apps add their own demo content: each registers a function run by seed_demo after the
# spaces and accounts exist. Each must be safe to run twice.
_seeders: list = []


def register_seeder(seeder) -> None:
    if seeder not in _seeders:
        _seeders.append(seeder)


def run_seeders() -> None:
    for seeder in _seeders:
        seeder()
