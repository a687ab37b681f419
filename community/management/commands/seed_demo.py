from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from community.crisis_contacts import crisis_contacts_ensure_defaults
from community.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SPACES, run_seeders
from community.models import CrisisContact, Key, Role, Space, User


class Command(BaseCommand):
    help = "Create the demo spaces, crisis contacts and one account per role. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production", action="store_true",
            help="Seed even with DJANGO_DEBUG=false. The demo passwords are public: never do "
            "this on a site real people use.",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Refusing to create demo accounts with public passwords in production mode "
                "(DJANGO_DEBUG=false). Use --allow-production only on a throwaway site."
            )
        with transaction.atomic():
            crisis_contacts_ensure_defaults(CrisisContact)
            spaces = {
                demo.slug: Space.objects.get_or_create(
                    slug=demo.slug,
                    defaults={"name": demo.name, "audience": demo.audience,
                              "description": demo.description},
                )[0]
                for demo in DEMO_SPACES
            }
            for demo in DEMO_ACCOUNTS:
                user = User.objects.filter(email__iexact=demo.email).first()
                if user is None:
                    user = User.objects.create_user(
                        demo.email, DEMO_PASSWORD, display_name=demo.display_name,
                        avatar=demo.avatar, role=demo.role,
                        is_staff=demo.role == Role.ADMIN, is_superuser=demo.role == Role.ADMIN,
                    )
                for slug in demo.spaces:
                    Key.objects.get_or_create(
                        user=user, space=spaces[slug], defaults={"moderates": demo.moderates}
                    )
            run_seeders()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at /accounts/login/ with:"))
        width = max(len(demo.email) for demo in DEMO_ACCOUNTS)
        for demo in DEMO_ACCOUNTS:
            role = Role(demo.role).label
            self.stdout.write(f"  {demo.email:<{width}}  {DEMO_PASSWORD}  ({role})")
