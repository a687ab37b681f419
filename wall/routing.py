from django.urls import path

from wall.consumers import WallConsumer

websocket_urlpatterns = [path("ws/wall/<slug:slug>/", WallConsumer.as_asgi())]
