"""WebSocket routes of the chat (wrapped in portal.asgi by the origin check and session auth)."""

from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("ws/chat/", consumers.ChatConsumer.as_asgi()),
    path("ws/chat/staff/<uuid:conversation_id>/", consumers.StaffChatConsumer.as_asgi()),
]
