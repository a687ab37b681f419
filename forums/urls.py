from django.urls import path

import community.converters  # noqa: F401 - registers the <id:> converter
from forums import views

app_name = "forums"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("saved/", views.saved, name="saved"),
    path("filters/", views.filters, name="filters"),
    path("t/<id:pk>/", views.thread_detail, name="thread"),
    path("t/<id:pk>/unread/", views.first_unread, name="first_unread"),
    path("t/<id:pk>/reply/", views.reply, name="reply"),
    path("t/<id:pk>/follow/", views.thread_follow, name="follow"),
    path("t/<id:pk>/<str:action>/", views.thread_moderate, name="moderate_thread"),
    path("p/<id:pk>/", views.post_redirect, name="post"),
    path("p/<id:pk>/edit/", views.post_edit, name="edit"),
    path("p/<id:pk>/remove/", views.post_remove, name="remove"),
    path("p/<id:pk>/react/", views.post_react, name="react"),
    path("p/<id:pk>/save/", views.post_bookmark, name="bookmark"),
    path("p/<id:pk>/history/", views.post_history, name="history"),
    path("p/<id:pk>/hide/", views.post_hide, name="hide"),
    path("p/<id:pk>/approve/", views.post_approve, name="approve"),
    path("<slug:space_slug>/<slug:category_slug>/", views.category, name="category"),
    path("<slug:space_slug>/<slug:category_slug>/new/", views.thread_create, name="new_thread"),
]
