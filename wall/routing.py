"""WebSocket routes of the Wall. The consumer arrives with the Wall issue."""

websocket_urlpatterns: list = []
