from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from community import demo, library_demo

        demo.register_seeder(library_demo.seed_library)

        from community.live import disconnect_user

        def remember_session(sender, request, user, **kwargs):
            # Lets the person see where they are signed in (Harbour's own record, no content).
            from community.plans import session_record

            if request is not None and request.session.session_key:
                session_record(user=user, session_key=request.session.session_key,
                               user_agent=request.META.get("HTTP_USER_AGENT", ""))

        user_logged_in.connect(remember_session, dispatch_uid="harbour.remember_session",
                               weak=False)

        def close_sockets(sender, user, **kwargs):
            # Signing out in one tab ends every live connection of that person.
            if user is not None:
                disconnect_user(user.pk, "signed_out")

        user_logged_out.connect(close_sockets, dispatch_uid="harbour.close_sockets_on_logout",
                                weak=False)
