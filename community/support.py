"""The supportive message shown after a risk-check match: remembered in the session and shown
once on the next page (by moderation's context processor)."""

SESSION_KEY = "harbour_support"


def remember_support(request, *, tier: str, held: bool, out_of_hours: bool) -> None:
    if tier:
        request.session[SESSION_KEY] = {"tier": tier, "held": held, "out_of_hours": out_of_hours}
