from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from community import library, panels
        from moderation import selectors, services

        panels.register_space_context(selectors.space_context)
        library.register_story_screener(services.screen_story)
        from community import exports

        exports.register("reports_made", selectors.export_reports_made)
        from community import erasure

        erasure.register(services.erase_member)
