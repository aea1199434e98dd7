"""What the chat stores: conversations, their messages, feedback, and unanswered questions.

The database is the record of every chat: a citizen's message is stored before the engine
answers it, and every reply is stored before it is sent (chatbot.service). The channel layer
only signals "conversation N has new messages up to seq S"; every socket then reads what it
has not sent yet from here, so a dropped signal or a reconnect never loses a message.

The engine's own models (emergency patterns etc.) live in chatbot/engine_models.py.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The engine's models are re-exported here so that Django finds them in this app:
from .engine_models import *  # noqa: F403


def new_token():
    """A conversation's resume key: 32 random bytes, URL-safe (a bearer secret: never logged)."""
    return secrets.token_urlsafe(32)


class Conversation(models.Model):
    """One chat between a citizen (identified only by a random token) and the bot or an officer."""

    class Status(models.TextChoices):
        BOT = "bot", _("With the assistant")
        WAITING = "waiting", _("Waiting for an officer")
        LIVE = "live", _("Live with an officer")
        CLOSED = "closed", pgettext_lazy("chat", "Closed")

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # What staff URLs and sockets name a conversation by (/admin/chat/<public_id>/): random, so a
    # URL says nothing about how many conversations exist and cannot be guessed from another.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lang = models.CharField(max_length=10, default="zh-hans", help_text=_("The page language when it started."))
    state = models.JSONField(default=dict, blank=True, help_text=_("The engine's conversation state."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOT, db_index=True)
    urgent = models.BooleanField(default=False, db_index=True, help_text=_("An emergency was detected."))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chat_conversations",
        help_text=_("The officer chatting live (or who last did)."),
    )
    inquiry = models.ForeignKey(
        "desk.Inquiry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
        help_text=_("The request filed from this conversation, if any."),
    )
    # Every request this conversation touched (filed, or tracked with the right access code): the
    # conversation is visible only to staff who may see all of them (service.visible_conversations).
    inquiries = models.ManyToManyField(
        "desk.Inquiry",
        blank=True,
        related_name="touching_conversations",
        help_text=_("Every request filed or tracked in this conversation."),
    )
    client_address = models.CharField(max_length=64, blank=True)
    handover_requested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_seq = models.PositiveIntegerField(default=0, help_text=_("The seq of the newest message."))

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self):
        return _("Conversation %(id)s") % {"id": self.short_id}

    @property
    def short_id(self):
        """The first characters of the public id: what staff see as the conversation's name."""
        return str(self.public_id)[:8]

    @property
    def group_name(self):
        """The channel-layer group that every socket of this conversation listens on."""
        return f"chat.conv.{self.pk}"


class Message(models.Model):
    """One message in a conversation, numbered by `seq` (1, 2, 3 … per conversation)."""

    class Sender(models.TextChoices):
        CITIZEN = "citizen", pgettext_lazy("chat", "Citizen")
        BOT = "bot", _("Assistant")
        STAFF = "staff", _("Officer")
        SYSTEM = "system", _("System")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveIntegerField()
    sender = models.CharField(max_length=10, choices=Sender.choices)
    client_id = models.CharField(
        max_length=64, blank=True, help_text=_("The id the citizen's browser gave the message (dedupe).")
    )
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(blank=True)
    # For bot replies: what the engine decided; for system messages: the event
    # (staff_joined, staff_left, handover_waiting …).
    intent = models.CharField(max_length=32, blank=True)
    sources = models.JSONField(default=list, blank=True)
    choices = models.JSONField(default=list, blank=True)
    # Extra links of a bot reply, e.g. {"label": "110", "url": "tel:110"} for emergency numbers.
    links = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["conversation", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="chat_message_seq_unique"),
            models.UniqueConstraint(
                fields=["conversation", "client_id"], condition=~Q(client_id=""), name="chat_message_client_id_unique"
            ),
        ]
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")

    def __str__(self):
        return f"{self.conversation_id}#{self.seq} {self.sender}"


class Feedback(models.Model):
    """A citizen's 👍/👎 on one bot answer (one per answer: voting again changes it)."""

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer feedback")
        verbose_name_plural = _("answer feedback")

    def __str__(self):
        return f"{self.message_id}: {'+' if self.helpful else '-'}"


class UnansweredQuestion(models.Model):
    """A question the assistant could not answer well, counted for the editors' report."""

    normalized = models.CharField(max_length=255, help_text=_("The question, normalized (case, spaces, punctuation)."))
    lang = models.CharField(max_length=10)
    count = models.PositiveIntegerField(default=1)
    example = models.TextField(help_text=_("The question as one citizen typed it."))
    confidence = models.FloatField(default=0.0, help_text=_("The best search confidence when last asked."))
    first_asked = models.DateTimeField(default=timezone.now)
    last_asked = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["normalized", "lang"], name="chat_unanswered_unique")]
        ordering = ["-count", "-last_asked"]
        verbose_name = _("unanswered question")
        verbose_name_plural = _("unanswered questions")

    def __str__(self):
        return self.example[:80]
