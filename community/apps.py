from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from community import demo, library_demo

        demo.register_seeder(library_demo.seed_library)

        from community.live import disconnect_user

        def close_sockets(sender, user, **kwargs):
            # Signing out in one tab ends every live connection of that person.
            if user is not None:
                disconnect_user(user.pk, "signed_out")

        user_logged_out.connect(close_sockets, dispatch_uid="harbour.close_sockets_on_logout",
                                weak=False)
