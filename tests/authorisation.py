"""Who may do what: the whole authorisation policy of the tests, in one place.

Every role (`ROLES`) against every page and form action (`PAGES`, one table in areas, each run
by the test beside its app: `tests/<app>/test_pages.py`, `tests/community/test_library.py` and
`test_stories.py`) and every WebSocket action (`SOCKET_ACTIONS`, run by
`tests/test_socket_authorisation.py`). `tests/community/test_pages.py` fails when a route
answers a method that has no row here. Arguments in angle brackets are filled from each test's
objects: neighbouring ids from another space (id+1) and ids naming nothing (id-1) among them.
"""

from __future__ import annotations

from django.urls import reverse

from tests.html import has_urgent_help_link

ROLES = (
    "anonymous", "member", "member_without_key", "carer", "peer_supporter", "volunteer",
    "clinician", "admin", "suspended",
)
SIGN_IN = "sign-in"  # a redirect to the sign-in page
# A suspended member sees why, with support contacts, whatever they open: a GET is sent to the
# explanation page, a POST answered with it (403), with what they had typed shown back.
PAUSED = "paused"


def row(**statuses):
    """Expected status per role; `others` fills the roles not named. A suspended member is
    PAUSED everywhere unless the row says otherwise (the few pages that stay open to them)."""
    others = statuses.pop("others", None)
    statuses.setdefault("suspended", PAUSED)
    return {role: statuses.get(role, others) for role in ROLES}


EVERYONE_200 = row(others=200)
# Open even to a suspended member: help must never be out of reach.
OPEN_TO_ALL = row(others=200, suspended=200)
SIGNED_IN_200 = row(anonymous=SIGN_IN, others=200)
INVITERS_ONLY = row(anonymous=SIGN_IN, clinician=200, admin=200, others=403)
TALKING_ENTRY = row(
    anonymous=SIGN_IN, member=200, peer_supporter=200, volunteer=200, clinician=200, admin=200,
    others=404,
)
CARERS_ENTRY = row(anonymous=SIGN_IN, carer=200, clinician=200, admin=200, others=404)
TALKING_KEYS = row(
    anonymous=SIGN_IN, member=403, peer_supporter=403, volunteer=403, clinician=200, admin=200,
    others=404,
)

# --- The forums
FORUM_TEAM = dict(peer_supporter=302, volunteer=302, clinician=302, admin=302)
TALKING_ACT = row(anonymous=SIGN_IN, member=302, **FORUM_TEAM, others=404)
FORUM_TEAM_PAGE = row(
    anonymous=SIGN_IN, member=403, peer_supporter=200, volunteer=200, clinician=200, admin=200,
    others=404
)
FORUM_TEAM_ACT = row(anonymous=SIGN_IN, member=403, **FORUM_TEAM, others=404)
AUTHOR_PAGE = row(anonymous=SIGN_IN, member=403, peer_supporter=200, volunteer=403,
                  clinician=403, admin=403, others=404)
AUTHOR_ACT = row(anonymous=SIGN_IN, member=403, peer_supporter=302, volunteer=403,
                 clinician=403, admin=403, others=404)
CARERS_ACT = row(anonymous=SIGN_IN, carer=302, clinician=302, admin=302, others=404)
# A form sent empty: its errors (400) for whoever may use it, the door for everyone else.
TALKING_FORM = row(anonymous=SIGN_IN, member=400, peer_supporter=400, volunteer=400,
                   clinician=400, admin=400, others=404)
FORUM_TEAM_FORM = row(
    anonymous=SIGN_IN, member=403, peer_supporter=400, volunteer=400, clinician=400, admin=400,
    others=404
)

# --- Moderation
MODERATION_TEAM_PAGE = row(
    anonymous=SIGN_IN, peer_supporter=200, volunteer=200, clinician=200, admin=200, others=403
)
MODERATION_TEAM_ACT = row(
    anonymous=SIGN_IN, peer_supporter=302, volunteer=302, clinician=302, admin=302, others=403
)
OTHER_SPACE_PAGE = row(anonymous=SIGN_IN, peer_supporter=404, volunteer=404, clinician=200,
                       admin=200, others=403)

# (name, method, url arguments, form data, expected answer per role)
COMMUNITY = [
    ("home", "get", {}, {}, EVERYONE_200),
    ("urgent_help", "get", {}, {}, OPEN_TO_ALL),
    ("community_agreement", "get", {}, {}, OPEN_TO_ALL),
    ("login", "get", {}, {}, row(anonymous=200, others=302)),
    ("logout", "post", {}, {}, row(others=302, suspended=302)),
    ("password_change", "get", {}, {}, SIGNED_IN_200),
    ("password_change_done", "get", {}, {}, SIGNED_IN_200),
    ("password_reset", "get", {}, {}, EVERYONE_200),
    ("password_reset_done", "get", {}, {}, EVERYONE_200),
    ("password_reset_confirm", "get", {"uidb64": "MQ", "token": "set-password"}, {}, EVERYONE_200),
    ("password_reset_complete", "get", {}, {}, EVERYONE_200),
    ("join_start", "get", {}, {}, EVERYONE_200),
    ("join", "get", {"code": "<code>"}, {}, EVERYONE_200),
    ("join_confirm", "get", {"token": "not-a-real-token"}, {}, row(others=400)),
    ("invitation_list", "get", {}, {}, INVITERS_ONLY),
    ("invitation_create", "get", {}, {}, INVITERS_ONLY),
    (
        "invitation_revoke", "post", {"pk": "<invitation>"},
        {}, row(anonymous=SIGN_IN, clinician=302, admin=302, others=404),
    ),
    ("space_detail", "get", {"slug": "talking-therapies"}, {}, TALKING_ENTRY),
    ("space_detail", "get", {"slug": "relatives-and-carers"}, {}, CARERS_ENTRY),
    ("space_detail", "get", {"slug": "no-such-space"}, {}, row(anonymous=SIGN_IN, others=404)),
    ("space_keys", "get", {"slug": "talking-therapies"}, {}, TALKING_KEYS),
    ("space_keys", "get", {"slug": "relatives-and-carers"},
     {}, row(anonymous=SIGN_IN, carer=403, clinician=200, admin=200, others=404)),
    (
        "space_key_revoke", "post", {"slug": "talking-therapies", "user_id": "<member>"},
        {}, {**TALKING_KEYS, "clinician": 302, "admin": 302},
    ),
    ("admin:index", "get", {}, {}, row(admin=200, others=302)),
    ("notifications", "get", {}, {}, SIGNED_IN_200),
    ("staying_well_plan", "get", {}, {}, SIGNED_IN_200),
    ("safety_plan", "get", {}, {}, SIGNED_IN_200),
    ("take_a_break", "get", {}, {}, SIGNED_IN_200),
    ("signed_in_sessions", "get", {}, {}, SIGNED_IN_200),
    ("my_data", "get", {}, {}, SIGNED_IN_200),
    ("my_data_download", "get", {}, {}, SIGNED_IN_200),
    ("delete_account", "get", {}, {}, SIGNED_IN_200),
    ("notification_settings", "get", {}, {}, SIGNED_IN_200),
    # The forms behind those pages, sent empty: whoever may use one is answered with the form
    # and its errors (200 or 400) or sent on (302); nobody else gets past the door.
    ("login", "post", {}, {}, row(anonymous=200, others=302)),
    ("password_change", "post", {}, {}, SIGNED_IN_200),
    ("password_reset", "post", {}, {}, EVERYONE_200),
    ("password_reset_confirm", "post", {"uidb64": "MQ", "token": "set-password"},
     {}, EVERYONE_200),
    ("join_start", "post", {}, {}, EVERYONE_200),
    ("join", "post", {"code": "<code>"}, {}, row(anonymous=400, others=200)),
    ("invitation_create", "post", {}, {}, {**INVITERS_ONLY, "clinician": 400, "admin": 400}),
    ("space_keys", "post", {"slug": "talking-therapies"},
     {}, {**TALKING_KEYS, "clinician": 400, "admin": 400}),
    ("space_keys", "post", {"slug": "relatives-and-carers"},
     {}, row(anonymous=SIGN_IN, carer=403, clinician=400, admin=400, others=404)),
    ("notification_settings", "post", {}, {}, SIGNED_IN_200),
    ("staying_well_plan", "post", {}, {}, row(anonymous=SIGN_IN, others=302)),
    ("safety_plan", "post", {}, {}, SIGNED_IN_200),
    ("take_a_break", "post", {}, {}, SIGNED_IN_200),
    ("signed_in_sessions", "post", {}, {}, row(anonymous=SIGN_IN, others=302)),
    ("delete_account", "post", {}, {}, SIGNED_IN_200),
]

FORUMS = [
    ("forums:index", "get", {}, {}, SIGNED_IN_200),
    ("forums:search", "get", {}, {"q": "walk"}, SIGNED_IN_200),
    ("forums:saved", "get", {}, {}, SIGNED_IN_200),
    ("forums:filters", "get", {}, {}, SIGNED_IN_200),
    ("forums:category", "get", {"space_slug": "talking-therapies",
                                 "category_slug": "staying-well"}, {}, TALKING_ENTRY),
    ("forums:category", "get", {"space_slug": "relatives-and-carers",
                                 "category_slug": "carers-corner"}, {},
     row(anonymous=SIGN_IN, carer=200, clinician=200, admin=200, others=404)),
    ("forums:new_thread", "get", {"space_slug": "talking-therapies",
                                   "category_slug": "staying-well"}, {}, TALKING_ENTRY),
    ("forums:thread", "get", {"pk": "<thread>"}, {}, TALKING_ENTRY),
    ("forums:first_unread", "get", {"pk": "<thread>"}, {}, TALKING_ACT),
    ("forums:reply", "post", {"pk": "<thread>"}, {"body": "Hello"}, TALKING_ACT),
    ("forums:follow", "post", {"pk": "<thread>"}, {"following": "1"}, TALKING_ACT),
    ("forums:moderate_thread", "post", {"pk": "<thread>", "action": "lock"}, {}, FORUM_TEAM_ACT),
    ("forums:moderate_thread", "get", {"pk": "<thread>", "action": "move"}, {}, FORUM_TEAM_PAGE),
    ("forums:post", "get", {"pk": "<post>"}, {}, TALKING_ACT),
    ("forums:edit", "get", {"pk": "<post>"}, {}, AUTHOR_PAGE),
    ("forums:remove", "post", {"pk": "<post>"}, {}, AUTHOR_ACT),
    ("forums:react", "post", {"pk": "<post>"}, {"kind": "relate"}, TALKING_ACT),
    ("forums:bookmark", "post", {"pk": "<post>"}, {}, TALKING_ACT),
    ("forums:history", "get", {"pk": "<post>"}, {}, FORUM_TEAM_PAGE),
    ("forums:hide", "get", {"pk": "<post>"}, {}, FORUM_TEAM_PAGE),
    ("forums:approve", "post", {"pk": "<post>"}, {}, FORUM_TEAM_ACT),
    ("forums:new_thread", "post", {"space_slug": "talking-therapies",
                                    "category_slug": "staying-well"}, {}, TALKING_FORM),
    ("forums:edit", "post", {"pk": "<post>"}, {}, {**AUTHOR_PAGE, "peer_supporter": 400}),
    ("forums:hide", "post", {"pk": "<post>"}, {}, FORUM_TEAM_FORM),
    ("forums:filters", "post", {}, {}, row(anonymous=SIGN_IN, others=400)),
    # The neighbouring ids: a thread and post in the carers' space (id+1), and an id that names
    # nothing (id-1). Without the key they do not exist: 404, whatever the action.
    ("forums:thread", "get", {"pk": "<carers_thread>"}, {}, CARERS_ENTRY),
    ("forums:reply", "post", {"pk": "<carers_thread>"}, {"body": "Hello"}, CARERS_ACT),
    ("forums:follow", "post", {"pk": "<carers_thread>"}, {"following": "1"}, CARERS_ACT),
    ("forums:post", "get", {"pk": "<carers_post>"}, {}, CARERS_ACT),
    ("forums:react", "post", {"pk": "<carers_post>"}, {"kind": "relate"}, CARERS_ACT),
    ("forums:edit", "get", {"pk": "<carers_post>"},
     {}, row(anonymous=SIGN_IN, carer=200, clinician=403, admin=403, others=404)),
    ("forums:hide", "get", {"pk": "<carers_post>"},
     {}, row(anonymous=SIGN_IN, carer=403, clinician=200, admin=200, others=404)),
    ("forums:approve", "post", {"pk": "<carers_post>"},
     {}, row(anonymous=SIGN_IN, carer=403, clinician=302, admin=302, others=404)),
    ("forums:new_thread", "post", {"space_slug": "relatives-and-carers",
                                    "category_slug": "carers-corner"}, {},
     row(anonymous=SIGN_IN, carer=400, clinician=400, admin=400, others=404)),
    ("forums:edit", "post", {"pk": "<carers_post>"},
     {}, row(anonymous=SIGN_IN, carer=400, clinician=403, admin=403, others=404)),
    ("forums:hide", "post", {"pk": "<carers_post>"},
     {}, row(anonymous=SIGN_IN, carer=403, clinician=400, admin=400, others=404)),
    ("forums:thread", "get", {"pk": "<missing_thread>"}, {}, row(anonymous=SIGN_IN, others=404)),
    ("forums:post", "get", {"pk": "<missing_post>"}, {}, row(anonymous=SIGN_IN, others=404)),
]

MODERATION = [
    ("moderation:queue", "get", {}, {}, MODERATION_TEAM_PAGE),
    ("moderation:item", "get", {"pk": "<item>"}, {},
     {**MODERATION_TEAM_PAGE, "carer": 403, "member_without_key": 403}),
    ("moderation:item", "post", {"pk": "<item>"}, {"action": "claim"}, MODERATION_TEAM_ACT),
    ("moderation:escalate", "post", {"pk": "<item>"}, {"what_was_seen": "Worrying words"},
     MODERATION_TEAM_ACT),
    ("moderation:escalation", "get", {"pk": "<escalation>"}, {}, MODERATION_TEAM_PAGE),
    ("moderation:member", "get", {"pk": "<member>"}, {}, MODERATION_TEAM_PAGE),
    ("moderation:report", "get", {}, {"type": "forums.post", "id": "<post>"},
     row(anonymous=SIGN_IN, carer=404, member_without_key=404, others=200)),
    ("moderation:duty", "post", {"slug": "talking-therapies"}, {"on": "0"}, MODERATION_TEAM_ACT),
    ("moderation:risk_check", "post", {}, {"text": "hello"}, SIGNED_IN_200),
    ("moderation:paused", "get", {}, {}, row(anonymous=SIGN_IN, others=200, suspended=200)),
    ("moderation:audit", "get", {}, {}, row(anonymous=SIGN_IN, admin=200, others=403)),
    ("two_factor_verify", "get", {}, {}, SIGNED_IN_200),
    ("two_factor_setup", "get", {}, {}, SIGNED_IN_200),
    ("two_factor_verify", "post", {}, {}, SIGNED_IN_200),
    ("two_factor_setup", "post", {}, {}, SIGNED_IN_200),
    ("moderation:escalation", "post", {"pk": "<escalation>"},
     {"step": "1", "action": "messaged_member", "note": "Sent a message"}, MODERATION_TEAM_ACT),
    ("moderation:member", "post", {"pk": "<member>"}, {"action": "note", "text": "Seen today"},
     MODERATION_TEAM_ACT),
    ("moderation:report", "post", {}, {"?": {"type": "forums.post", "id": "<post>"},
                                       "reason": "spam"},
     # the member wrote the post: nobody can report themselves
     row(anonymous=SIGN_IN, carer=404, member_without_key=404, member=400, others=302)),
    # The carers' space, which the peer supporter and volunteer don't moderate: its queue item
    # (the neighbouring id) and a member only found there do not exist for them.
    ("moderation:item", "get", {"pk": "<carers_item>"}, {}, OTHER_SPACE_PAGE),
    ("moderation:item", "post", {"pk": "<carers_item>"}, {"action": "claim"},
     {**OTHER_SPACE_PAGE, "clinician": 302, "admin": 302}),
    ("moderation:member", "get", {"pk": "<carer>"}, {}, OTHER_SPACE_PAGE),
    ("moderation:member", "post", {"pk": "<carer>"}, {"action": "note", "text": "Seen today"},
     {**OTHER_SPACE_PAGE, "clinician": 302, "admin": 302}),
]

WALL = [
    ("wall:wall", "get", {"slug": "talking-therapies"}, {}, TALKING_ENTRY),
    ("wall:post", "post", {"slug": "talking-therapies"},
     {"client_id": "matrix-msg-1", "body": "Hello from the matrix"},
     row(anonymous=SIGN_IN, member=302, peer_supporter=302, volunteer=302, clinician=302,
         admin=302, others=404)),
    ("wall:wall", "get", {"slug": "relatives-and-carers"}, {},
     row(anonymous=SIGN_IN, carer=200, clinician=200, admin=200, others=404)),
    ("wall:post", "post", {"slug": "relatives-and-carers"},
     {"client_id": "matrix-msg-2", "body": "Hello from the matrix"},
     row(anonymous=SIGN_IN, carer=302, clinician=302, admin=302, others=404)),
]

LIBRARY = [
    ("library", "get", {}, {}, row(anonymous=SIGN_IN, others=200)),
    ("library_saved", "get", {}, {}, row(anonymous=SIGN_IN, others=200)),
    ("library_resource", "get", {"pk": "<everyone>"}, {}, row(anonymous=SIGN_IN, others=200)),
    ("library_feedback", "post", {"pk": "<everyone>"}, {}, row(anonymous=SIGN_IN, others=302)),
    ("library_save", "post", {"pk": "<carers>"},
     {}, row(anonymous=SIGN_IN, member=404, member_without_key=404, others=302)),
    ("library_media", "get", {"pk": "<everyone>", "which": "video"},
     {}, row(anonymous=SIGN_IN, others=404)),
]

STORIES = [
    ("story_list", "get", {}, {}, row(anonymous=SIGN_IN, others=200)),
    ("story_new", "get", {}, {}, row(anonymous=SIGN_IN, others=200)),
    ("story_edit", "get", {"pk": "<story>"}, {}, row(anonymous=SIGN_IN, member=200, others=404)),
    ("story_review_list", "get", {}, {}, row(anonymous=SIGN_IN, peer_supporter=200, volunteer=200,
                                         clinician=200, admin=200, others=403)),
    ("story_review", "get", {"pk": "<story>"},
     {}, row(anonymous=SIGN_IN, peer_supporter=200, volunteer=200, clinician=200, admin=200,
         others=403)),
    ("resource_write", "get", {}, {}, row(anonymous=SIGN_IN, peer_supporter=200, volunteer=200,
                                      clinician=200, admin=200, others=403)),
    # The same forms sent empty: the form with its errors for whoever may use it.
    ("story_new", "post", {}, {}, row(anonymous=SIGN_IN, others=200)),
    ("story_edit", "post", {"pk": "<story>"}, {}, row(anonymous=SIGN_IN, member=200, others=404)),
    ("story_review", "post", {"pk": "<story>"},
     {}, row(anonymous=SIGN_IN, peer_supporter=200, volunteer=200, clinician=200, admin=200,
         others=403)),
    ("resource_write", "post", {}, {}, row(anonymous=SIGN_IN, peer_supporter=200, volunteer=200,
                                       clinician=200, admin=200, others=403)),
]

PAGES = {"community": COMMUNITY, "forums": FORUMS, "moderation": MODERATION, "wall": WALL,
         "library": LIBRARY, "stories": STORIES}


def every_page_row():
    return [page for area in PAGES.values() for page in area]


def assert_matrix_response(response, expected_status, role: str, url: str) -> None:
    """One row of a permission matrix: the status expected for the role (or a redirect to
    signing in), and the Urgent help link on every HTML page shown."""
    if expected_status == SIGN_IN:
        assert response.status_code == 302, f"{role} {url}"
        assert response.url.startswith(reverse("login"))
    elif expected_status == PAUSED and response.request["REQUEST_METHOD"] == "GET":
        assert response.status_code == 302, f"{role} {url}"
        assert response.url == reverse("moderation:paused"), f"{role} {url}"
    elif expected_status == PAUSED:
        assert response.status_code == 403, f"{role} {url}"
        assert "Your account is paused" in response.content.decode()
    else:
        assert response.status_code == expected_status, f"{role} {url}"
        if response.status_code == 302:
            assert not response.url.startswith(reverse("login")), f"{role} {url}"
    if response.status_code != 302 and response["Content-Type"].startswith("text/html"):
        assert has_urgent_help_link(response), f"no Urgent help link on {url} for {role}"


def fill(kwargs: dict, objects: dict) -> dict:
    return {
        key: objects[value.strip("<>")] if str(value).startswith("<") else value
        for key, value in kwargs.items()
    }


# --- The Wall's socket: each action is a frame; "state" after it tells whether it was refused.
OK, REFUSED, NO_SOCKET = "ok", "refused", "no socket"
SOCKET_TEAM = ("peer_supporter", "volunteer", "clinician", "admin")

# (action, the frame sent; names in angle brackets are filled from the objects below)
SOCKET_ACTIONS = [
    ("post", {"type": "post", "client_id": "table-0001", "body": "Hello from the table"}),
    ("post naming another author and role",
     {"type": "post", "client_id": "table-0002", "body": "Who am I?", "author": "<target_author>",
      "user": "<target_author>", "role": "admin", "moderator": True}),
    ("reply", {"type": "post", "client_id": "table-0003", "body": "A reply",
               "reply_to": "<message>"}),
    ("reply to another space's message (id+1)",
     {"type": "post", "client_id": "table-0004", "body": "A stray reply",
      "reply_to": "<other_space_message>"}),
    ("resume", {"type": "resume", "last_seq": 0}),
    ("react", {"type": "react", "message": "<message>", "kind": "relate"}),
    ("react to another space's message (id+1)",
     {"type": "react", "message": "<other_space_message>", "kind": "relate"}),
    ("react to a missing message (id-1)",
     {"type": "react", "message": "<missing_message>", "kind": "relate"}),
    ("pin", {"type": "pin", "message": "<message>"}),
    ("pin another space's message", {"type": "pin", "message": "<other_space_message>"}),
    ("unpin", {"type": "pin", "message": None}),
    ("slow mode", {"type": "slow_mode", "seconds": 0}),
    ("mute", {"type": "mute", "member": "<target_author>", "minutes": 5, "reason": "a break"}),
    ("hide another space's message",
     {"type": "hide", "message": "<other_space_message>", "reason": "off topic"}),
    ("hide", {"type": "hide", "message": "<message>", "reason": "Personal details"}),
    ("state", {"type": "state"}),
]


def socket_expected_row(role: str) -> dict[str, str]:
    if role in ("anonymous", "member_without_key", "carer", "suspended"):
        return {action: NO_SOCKET for action, _ in SOCKET_ACTIONS}
    moderates = role in SOCKET_TEAM
    return {
        "post": OK,
        "post naming another author and role": OK,
        # Posted, but as a reply to nothing: a message from another space is never linked.
        "reply": OK,
        "reply to another space's message (id+1)": OK,
        "resume": OK,
        "react": OK,
        "react to another space's message (id+1)": REFUSED,
        "react to a missing message (id-1)": REFUSED,
        "pin": OK if moderates else REFUSED,
        "pin another space's message": REFUSED,
        "unpin": OK if moderates else REFUSED,
        "slow mode": OK if moderates else REFUSED,
        "mute": OK if moderates else REFUSED,
        "hide another space's message": REFUSED,
        "hide": OK if moderates else REFUSED,
        "state": OK,
    }
