from django.urls import path

from forums import views

app_name = "forums"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("saved/", views.saved, name="saved"),
    path("filters/", views.filters, name="filters"),
    path("t/<int:pk>/", views.thread_detail, name="thread"),
    path("t/<int:pk>/unread/", views.first_unread, name="first_unread"),
    path("t/<int:pk>/reply/", views.reply, name="reply"),
    path("t/<int:pk>/follow/", views.thread_follow, name="follow"),
    path("t/<int:pk>/<str:action>/", views.thread_moderate, name="moderate_thread"),
    path("p/<int:pk>/", views.post_redirect, name="post"),
    path("p/<int:pk>/edit/", views.post_edit, name="edit"),
    path("p/<int:pk>/remove/", views.post_remove, name="remove"),
    path("p/<int:pk>/react/", views.post_react, name="react"),
    path("p/<int:pk>/save/", views.post_bookmark, name="bookmark"),
    path("p/<int:pk>/history/", views.post_history, name="history"),
    path("p/<int:pk>/hide/", views.post_hide, name="hide"),
    path("p/<int:pk>/approve/", views.post_approve, name="approve"),
    path("<slug:space_slug>/<slug:category_slug>/", views.category, name="category"),
    path("<slug:space_slug>/<slug:category_slug>/new/", views.thread_create, name="new_thread"),
]
