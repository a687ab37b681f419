from django.urls import path

from wall import views

app_name = "wall"

urlpatterns = [
    path("", views.wall, name="wall"),
    path("post/", views.post, name="post"),
]
