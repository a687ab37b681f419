from django.contrib import admin
from django.urls import include, path

import community.converters  # noqa: F401 - registers the <id:> converter
from community import views

urlpatterns = [
    path("", views.home, name="home"),
    path("help/urgent/", views.urgent_help, name="urgent_help"),
    path("community-agreement/", views.community_agreement, name="community_agreement"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("join/", views.join_start, name="join_start"),
    path("join/confirm/<str:token>/", views.join_confirm, name="join_confirm"),
    path("join/<str:code>/", views.join, name="join"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path("invitations/<id:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("spaces/<slug:slug>/", views.space_detail, name="space_detail"),
    path("spaces/<slug:slug>/keys/", views.space_keys, name="space_keys"),
    path("spaces/<slug:slug>/wall/", include("wall.urls")),
    path(
        "spaces/<slug:slug>/keys/<id:user_id>/revoke/",
        views.space_key_revoke,
        name="space_key_revoke",
    ),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
    path("account/two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("me/plan/", views.staying_well_plan, name="staying_well_plan"),
    path("me/safety-plan/", views.safety_plan, name="safety_plan"),
    path("me/break/", views.take_a_break, name="take_a_break"),
    path("me/sessions/", views.signed_in_sessions, name="signed_in_sessions"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/delete/", views.delete_account, name="delete_account"),
    path("me/data/download/", views.my_data_download, name="my_data_download"),
    path("library/", views.library_index, name="library"),
    path("library/saved/", views.library_saved, name="library_saved"),
    path("library/stories/", views.story_list, name="story_list"),
    path("library/stories/new/", views.story_edit, name="story_new"),
    path("library/stories/<id:pk>/", views.story_edit, name="story_edit"),
    path("library/review/", views.story_review_list, name="story_review_list"),
    path("library/review/<id:pk>/", views.story_review, name="story_review"),
    path("library/write/", views.resource_write, name="resource_write"),
    path("library/<id:pk>/", views.library_resource, name="library_resource"),
    path("library/<id:pk>/helpful/", views.library_feedback, name="library_feedback"),
    path("library/<id:pk>/save/", views.library_save, name="library_save"),
    path("library/<id:pk>/<str:which>/", views.library_media, name="library_media"),
    path("forums/", include("forums.urls")),
    path("moderation/", include("moderation.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "community.views.service_error"
