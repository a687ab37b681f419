from django.apps import AppConfig


class WallConfig(AppConfig):
    name = "wall"
    verbose_name = "The Wall"

    def ready(self):
        from community import panels
        from moderation import registry
        from wall.moderation import WallMessageAdapter
        from wall.selectors import home_context

        registry.register(WallMessageAdapter())
        panels.register_home_context(home_context)
