"""/<lang>/chat/: the chat as a plain HTML form (no JavaScript or WebSocket needed)."""

from django.urls import path

from . import views

app_name = "chatbot"

urlpatterns = [
    path("", views.chat_page, name="chat"),
]
