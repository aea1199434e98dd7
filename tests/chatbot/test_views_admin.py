"""Chat pages in the admin: live chats for Duty staff and Supervisors (Editors are refused),
the editors' report of unanswered questions (counts, sort, language filter) and feedback."""

import pytest
from django.test import Client

from chatbot import service
from chatbot.models import Conversation, Message

from .chat_helpers import clean_cache, make_user  # noqa: F401

pytestmark = pytest.mark.django_db


def refused(response):
    """Wagtail answers PermissionDenied with a redirect to the dashboard and a message."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def duty():
    return make_user("duty-a", "Duty staff")


@pytest.fixture
def editor():
    return make_user("editor-a", "Editors")


def waiting_conversation(text="我想找民警"):
    conv = Conversation.objects.create(status=Conversation.Status.WAITING, urgent=True)
    service.handle_message(conv, text, "w1")
    conv.refresh_from_db()
    return conv


def test_live_chats_lists_waiting_conversations_for_duty_staff(duty):
    conv = waiting_conversation()
    Conversation.objects.create()  # a plain bot chat is not listed
    response = logged_in(duty).get("/admin/chat/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-conversation="{conv.public_id}"' in html and "我想找民警" in html
    assert html.count("data-conversation=") == 1
    assert f'href="/admin/chat/{conv.public_id}/"' in html


def test_editors_and_anonymous_cannot_see_live_chats(editor):
    conv = waiting_conversation()
    assert refused(logged_in(editor).get("/admin/chat/"))
    assert refused(logged_in(editor).get(f"/admin/chat/{conv.public_id}/"))
    assert Client().get("/admin/chat/").status_code == 302  # to the login page


def test_an_officer_chats_through_the_page_without_javascript(duty):
    conv = waiting_conversation()
    client = logged_in(duty)
    page = client.get(f"/admin/chat/{conv.public_id}/")
    assert page.status_code == 200 and "我想找民警" in page.content.decode()
    assert f'data-ws-path="/ws/chat/staff/{conv.public_id}/"' in page.content.decode()

    client.post(f"/admin/chat/{conv.public_id}/", {"action": "join"})
    client.post(f"/admin/chat/{conv.public_id}/", {"action": "message", "text": "您好，请讲。"})
    conv.refresh_from_db()
    assert conv.status == "live" and conv.assigned_to == duty
    tail = list(conv.messages.order_by("-seq").values_list("sender", "intent", "text")[:2])
    assert tail[0] == ("staff", "", "您好，请讲。") and tail[1][:2] == ("system", "staff_joined")

    client.post(f"/admin/chat/{conv.public_id}/", {"action": "leave"})
    conv.refresh_from_db()
    assert conv.status == "bot"
    assert conv.messages.order_by("-seq").first().intent == "staff_left"


def test_the_unanswered_report_counts_sorts_and_filters(editor):
    for _ in range(3):
        service.log_unanswered("狗丢了 怎么办？", "zh-hans", confidence=0.2)
    service.log_unanswered("狗丢了怎么办", "zh-hans", confidence=0.1)
    service.log_unanswered("Where can I park a tractor?", "en", confidence=0.05)
    service.log_unanswered("where can I park a TRACTOR", "en", confidence=0.3)
    client = logged_in(editor)
    html = client.get("/admin/chat/unanswered/").content.decode()
    assert "What citizens asked that we could not answer" in html or "无法回答" in html
    rows = html.split("<tbody>")[1]
    assert rows.index("狗丢了 怎么办？") < rows.index("Where can I park a tractor?"), "most asked first"
    assert "<td>4</td>" in rows and "<td>2</td>" in rows, "case, spaces and punctuation do not split a question"

    english = client.get("/admin/chat/unanswered/?lang=en").content.decode()
    assert "tractor" in english and "狗丢了" not in english.split("<tbody>")[1]
    by_recent = client.get("/admin/chat/unanswered/?sort=last_asked").content.decode().split("<tbody>")[1]
    assert by_recent.index("tractor") < by_recent.index("狗丢了")
    assert 'aria-sort="descending"' in client.get("/admin/chat/unanswered/?sort=count").content.decode()


def test_duty_staff_do_not_see_the_editors_reports(duty):
    assert refused(logged_in(duty).get("/admin/chat/unanswered/"))
    assert refused(logged_in(duty).get("/admin/chat/feedback/"))


def test_feedback_summary_counts_per_answer(editor):
    conv = Conversation.objects.create()
    result = service.handle_message(conv, "你好", "a")
    reply = result.replies[0]
    service.handle_feedback(conv, reply.seq, False)
    other = Conversation.objects.create()
    second = service.handle_message(other, "你好", "b").replies[0]
    service.handle_feedback(other, second.seq, False)
    html = logged_in(editor).get("/admin/chat/feedback/").content.decode()
    assert "<td>0</td><td>2</td>" in html.replace("\n", "").replace("      ", "")
    assert Message.objects.filter(feedback__isnull=False).count() == 2
    # Column icons are inline SVG (no emoji font on the bureau's PCs), the words stay for
    # screen readers.
    assert "👍" not in html and "👎" not in html
    assert html.count('class="chat-icon chat-icon--thumb-') == 2
    assert '<span class="w-sr-only">Not helpful</span>' in html or '<span class="w-sr-only">没有帮助</span>' in html
