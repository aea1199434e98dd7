"""The privacy notice's period for the chat (chatbot.retention): conversations are deleted 180
days after their last message, with their feedback; unanswered questions stay in the editors'
report, without contact details."""

import datetime

import pytest
from django.utils import timezone

from chatbot import retention, service
from chatbot.models import Conversation, Feedback, Message, UnansweredQuestion
from desk import actions as desk_actions
from desk import demo
from portal.retention import apply_retention

from .chat_helpers import clean_cache  # noqa: F401

pytestmark = pytest.mark.django_db


def ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def conversation(last_message_days_ago, address="198.51.100.50"):
    conv, _created = service.get_or_create_conversation(None, "zh-hans", address)
    result = service.handle_message(conv, "你好")
    service.handle_feedback(conv, result.replies[0].seq, True, "有用")
    Conversation.objects.filter(pk=conv.pk).update(updated_at=ago(last_message_days_ago))
    return conv


def test_a_conversation_is_deleted_180_days_after_its_last_message():
    old = conversation(181)
    recent = conversation(170)
    demo.seed_configuration()
    filed = desk_actions.open_inquiry(
        kind="suggestion", category="website", subject="网站建议", description="希望网站增加英文页面。", consent=True
    )
    Conversation.objects.filter(pk=old.pk).update(inquiry=filed.inquiry)

    assert retention.delete_conversations(dry_run=True) == 1
    assert Conversation.objects.filter(pk=old.pk).exists()
    assert retention.delete_conversations() == 1

    assert not Conversation.objects.filter(pk=old.pk).exists()
    assert not Message.objects.filter(conversation_id=old.pk).exists()
    assert not Feedback.objects.filter(message__conversation_id=old.pk).exists()
    assert Feedback.objects.filter(message__conversation=recent).count() == 1
    assert service.get_conversation(old.token) is None, "the old resume link starts afresh"
    filed.inquiry.refresh_from_db()
    assert filed.inquiry.subject == "网站建议", "the request filed from it has its own retention"
    assert retention.delete_conversations() == 0


def test_old_unanswered_questions_lose_contact_details_and_are_merged():
    service.log_unanswered("护照加急怎么办 我电话13800000000", "zh-hans")
    service.log_unanswered("护照加急怎么办 我电话13900000000", "zh-hans")
    service.log_unanswered("护照加急怎么办 我电话13900000000", "zh-hans")
    service.log_unanswered("write to me at a.b@example.com about visas", "en")
    service.log_unanswered("驾照换证 联系 13700000000", "zh-hans")  # recent: not yet
    UnansweredQuestion.objects.exclude(example__startswith="驾照").update(first_asked=ago(200))

    assert retention.strip_unanswered_questions(dry_run=True) == 3
    assert retention.strip_unanswered_questions() == 3

    passport = UnansweredQuestion.objects.get(lang="zh-hans", example__startswith="护照")
    assert passport.count == 3 and "138" not in passport.example and "139" not in passport.example
    assert passport.example == "护照加急怎么办 我电话***"
    assert UnansweredQuestion.objects.get(lang="en").example == "write to me at *** about visas"
    assert "13700000000" in UnansweredQuestion.objects.get(example__startswith="驾照").example
    assert retention.strip_unanswered_questions() == 0


def test_apply_retention_covers_the_chat():
    conversation(200)
    results = dict(apply_retention())
    assert results["chat conversations deleted (no message for 180 days)"] == 1
    assert not Conversation.objects.exists()
