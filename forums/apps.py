from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = "Forums"

    def ready(self):
        from community import demo, panels
        from forums import demo as forums_demo
        from forums import selectors
        from forums.moderation import PostAdapter
        from moderation import registry

        demo.register_seeder(forums_demo.seed_forums)
        from community import exports

        exports.register("forum_posts", selectors.export_posts)
        exports.register("forum_reactions", selectors.export_reactions)
        exports.register("forum_saved_posts", selectors.export_bookmarks)
        from community import erasure
        from forums import services

        erasure.register(services.erase_member)
        registry.register(PostAdapter())
        panels.register_home_context(selectors.home_context)
        panels.register_space_context(selectors.space_context)
