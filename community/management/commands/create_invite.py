from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import INVITABLE_ROLES, Space, Therapy


class Command(BaseCommand):
    help = "Create an invitation from the console (first set-up) and print its joining link."

    def add_arguments(self, parser):
        parser.add_argument("--role", choices=[role.value for role in INVITABLE_ROLES],
                            default="member")
        parser.add_argument("--space", action="append", required=True, metavar="SLUG",
                            help="A space the invitation opens; repeat for more.")
        parser.add_argument("--days", type=int, default=14, help="Days until it expires.")
        parser.add_argument("--therapy", choices=Therapy.values, default="")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000",
                            help="Where Harbour is served, for the printed link.")

    def handle(self, *args, role, space, days, therapy, base_url, **options):
        spaces = list(Space.objects.filter(slug__in=space))
        missing = set(space) - {found.slug for found in spaces}
        if missing:
            known = ", ".join(Space.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No space with slug {', '.join(sorted(missing))}. Known: {known}.")
        if not 1 <= days <= 90:
            raise CommandError("--days must be between 1 and 90.")
        try:
            invitation, code = services.invitation_create(
                created_by=None, role=role, spaces=spaces, therapy_completed=therapy,
                expires_at=timezone.now() + timedelta(days=days),
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        link = base_url.rstrip("/") + reverse("join", kwargs={"code": code})
        expires = timezone.localtime(invitation.expires_at)
        self.stdout.write(f"Joining link (works once, until {expires:%Y-%m-%d %H:%M %Z}):")
        self.stdout.write(link)
