from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from community import panels
        from moderation import selectors

        panels.register_space_context(selectors.space_context)
