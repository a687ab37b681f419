"""The crisis contacts every Harbour starts with (England). Admins keep them right afterwards."""

from datetime import date

LAST_VERIFIED = date(2026, 11, 22)

DEFAULT_CRISIS_CONTACTS = [
    {
        "name": "999 emergency services",
        "when_to_use": "Someone is in immediate danger: they have seriously hurt themselves or "
        "are about to. Call 999 or go to A&E.",
        "phone": "999",
        "hours": "24 hours, every day",
        "position": 10,
    },
    {
        "name": "NHS 111",
        "when_to_use": "You need help urgently but it is not life-threatening. Choose option 2 "
        "for mental health support.",
        "phone": "111",
        "website": "https://111.nhs.uk/",
        "hours": "24 hours, every day",
        "position": 20,
    },
    {
        "name": "Crisis resolution and home treatment team",
        "when_to_use": "Your local NHS mental health crisis team, if you are already known to "
        "services or things are getting worse quickly.",
        "phone": "0800 129 9999",
        "hours": "24 hours, every day",
        "position": 30,
    },
    {
        "name": "Samaritans",
        "when_to_use": "To talk to someone about anything that is upsetting you. Free from any "
        "phone.",
        "phone": "116 123",
        "website": "https://www.samaritans.org/",
        "hours": "24 hours, every day",
        "position": 40,
    },
    {
        "name": "Shout",
        "when_to_use": "If you would rather text than talk: a free, confidential text service.",
        "text_number": "85258",
        "text_message": "SHOUT",
        "website": "https://giveusashout.org/",
        "hours": "24 hours, every day",
        "position": 50,
    },
    {
        "name": "Childline",
        "when_to_use": "For children and young people under 19.",
        "phone": "0800 1111",
        "website": "https://www.childline.org.uk/",
        "hours": "24 hours, every day",
        "position": 60,
    },
]


def crisis_contacts_ensure_defaults(contact_model) -> int:
    """Add any default contact missing by name; returns how many were added. Never overwrites
    an admin's edits. Takes the model so that migrations can pass their historical one."""
    added = 0
    for details in DEFAULT_CRISIS_CONTACTS:
        _, created = contact_model.objects.get_or_create(
            name=details["name"],
            defaults={**details, "last_verified": LAST_VERIFIED},
        )
        added += created
    return added
