from django.apps import AppConfig


class WallConfig(AppConfig):
    name = "wall"
    verbose_name = "The Wall"

    def ready(self):
        from moderation import registry
        from wall.moderation import WallMessageAdapter

        registry.register(WallMessageAdapter())
