"""WebSocket routes of the chat (wrapped in portal.asgi by the origin check and session auth)."""

from django.urls import path, re_path

from . import consumers

websocket_urlpatterns = [
    path("ws/chat/", consumers.ChatConsumer.as_asgi()),
    path("ws/chat/staff/<uuid:conversation_id>/", consumers.StaffChatConsumer.as_asgi()),
    # The documented URL ends with a slash; a client that leaves it out reaches the same socket
    # (instead of a handshake that fails with "No route found").
    re_path(r"^ws/chat$", consumers.ChatConsumer.as_asgi()),
]
