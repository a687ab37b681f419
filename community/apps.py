from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"

    def ready(self):
        from community import demo, library_demo

        demo.register_seeder(library_demo.seed_library)
