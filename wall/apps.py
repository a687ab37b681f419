from django.apps import AppConfig


class WallConfig(AppConfig):
    name = "wall"
    verbose_name = "The Wall"

    def ready(self):
        from community import exports, panels
        from moderation import registry
        from wall.moderation import WallMessageAdapter
        from wall.selectors import export_messages, home_context

        registry.register(WallMessageAdapter())
        exports.register("wall_messages", export_messages)
        from community import erasure
        from wall.services import erase_member

        erasure.register(erase_member)
        panels.register_home_context(home_context)
