"""The plain-HTTP chat at /<lang>/chat/ (no JavaScript needed): the same engine and storage as
the socket, post/redirect/get, CSRF, limits, choices and feedback as buttons."""

import re

import pytest
from django.test import Client

from chatbot.models import Conversation, Feedback, Message

from .chat_helpers import clean_cache  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/zh-hans/chat/"


def post(client, url=URL, **data):
    return client.post(url, {"action": "message", **data})


def test_the_page_works_without_a_conversation():
    response = Client().get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post" class="chat-form"' in html and "csrfmiddlewaretoken" in html
    assert 'href="tel:110"' in html
    assert 'id="chat-launcher"' not in html, "no widget on the chat page itself"
    assert Conversation.objects.count() == 0


def test_a_message_is_answered_and_the_transcript_shown():
    client = Client()
    response = post(client, text="你好", id="form-1")
    assert response.status_code == 302 and response["Location"] == f"{URL}#m1"
    conv = Conversation.objects.get()
    assert client.session["chat_token"] == conv.token
    assert list(conv.messages.values_list("sender", flat=True))[:2] == ["citizen", "bot"]
    html = client.get(URL).content.decode()
    assert 'id="m1"' in html and "你好" in html
    reply = conv.messages.get(seq=2)
    assert reply.text.split("\n")[0][:20] in html


def test_a_double_submission_is_answered_once():
    client = Client()
    post(client, text="how do I renew my passport", id="same")
    count = Message.objects.count()
    response = post(client, text="how do I renew my passport", id="same")
    assert response.status_code == 302
    assert Message.objects.count() == count


def test_an_over_long_message_comes_back_with_an_error_and_the_text_kept():
    client = Client()
    text = "长" * 2001
    response = post(client, text=text)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and "2000" in html
    assert text in html, "nothing typed is lost"
    assert Message.objects.count() == 0


def test_the_form_is_rate_limited_per_address(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "chat_message_address": (2, 86400)}
    client = Client(REMOTE_ADDR="198.51.100.20")
    assert post(client, text="one").status_code == 302
    assert post(client, text="two").status_code == 302
    response = post(client, text="three")
    assert response.status_code == 429
    assert "three" in response.content.decode()
    assert not Message.objects.filter(text="three").exists()


def test_csrf_is_required():
    client = Client(enforce_csrf_checks=True)
    assert post(client, text="hello").status_code == 403
    assert Message.objects.count() == 0


def test_choices_are_buttons_that_continue_the_conversation():
    client = Client()
    post(client, text="今天天气怎么样", id="w")
    html = client.get(URL).content.decode()
    buttons = re.findall(r'<button type="submit" name="choice" value="([^"]+)"', html)
    assert buttons, "the assistant offers choices when it cannot answer"
    response = client.post(URL, {"action": "choice", "choice": buttons[0], "id": "pick"})
    assert response.status_code == 302
    picked = Message.objects.get(client_id="pick")
    assert picked.sender == "citizen" and picked.text
    assert Message.objects.filter(reply_to=picked, sender="bot").exists()

    stale = client.post(URL, {"action": "choice", "choice": "no-such-choice", "id": "stale"})
    assert stale.status_code == 400


def test_feedback_buttons_record_helpful_or_not():
    client = Client()
    post(client, text="你好")
    reply = Message.objects.filter(sender="bot").first()
    client.post(URL, {"action": "feedback", "seq": reply.seq, "helpful": "no"})
    assert Feedback.objects.get(message=reply).helpful is False
    client.post(URL, {"action": "feedback", "seq": reply.seq, "helpful": "yes"})
    assert Feedback.objects.get(message=reply).helpful is True
    assert 'aria-pressed="true"' in client.get(URL).content.decode()


def test_an_english_page_and_a_new_conversation():
    client = Client()
    post(client, url="/en/chat/", text="hello")
    conv = Conversation.objects.get()
    assert conv.lang == "en"
    client.post("/en/chat/", {"action": "restart"})
    assert "chat_token" not in client.session
    html = client.get("/en/chat/").content.decode()
    assert "Online assistant" in html and 'id="m1"' not in html


def test_other_pages_carry_the_widget_as_a_plain_link():
    html = Client().get("/zh-hans/requests/new/").content.decode()
    assert 'id="chat-launcher"' in html and 'href="/zh-hans/chat/"' in html
    assert "chatbot/widget.js" in html


EMOJI = re.compile("[\U0001f300-\U0001faff]")


def test_feedback_buttons_show_icons_that_need_no_emoji_font():
    """👍/👎 are inline SVG drawn in the text colour (hidden from screen readers); each button
    keeps its words for screen readers and as a tooltip."""
    client = Client()
    post(client, text="你好")
    html = client.get(URL).content.decode()
    assert not EMOJI.search(html), "emoji show as empty boxes without an emoji font"
    form = re.search(r'<form method="post" class="chat-feedback">.*?</form>', html, re.S).group(0)
    buttons = re.findall(r"<button[^>]*>.*?</button>", form, re.S)
    assert len(buttons) == 2
    for button, label in zip(buttons, ("有帮助", "没有帮助"), strict=True):
        assert re.search(r'<svg class="chat-icon[^"]*"[^>]*aria-hidden="true"', button)
        assert 'stroke="currentColor"' in button
        assert f'<span class="visually-hidden">{label}</span>' in button and f'title="{label}"' in button


def test_the_widget_gets_its_icons_from_the_page():
    """The launcher's icon and the thumbs the widget adds to answers come as inline SVG."""
    html = Client().get("/en/requests/new/").content.decode()
    assert not EMOJI.search(html)
    template = re.search(r'<template id="chat-icon-template">(.*?)</template>', html, re.S).group(1)
    assert 'data-icon="yes"><svg' in template and 'data-icon="no"><svg' in template
    launcher = re.search(r'<a class="chat-launcher".*?</a>', html, re.S).group(0)
    assert "<svg" in launcher and "Ask the assistant" in launcher


def feedback_forms(html):
    return {
        int(seq): form
        for form, seq in re.findall(
            r'(<form method="post" class="chat-feedback">.*?name="seq" value="(\d+)".*?</form>)', html, re.S
        )
    }


ZH_ANSWER = "居住证可在居住地任一派出所办理签注。"
EN_ANSWER = "You can renew your residence permit at any police station."


@pytest.mark.parametrize(
    ("url", "own_answer", "other_answer", "own_question", "other_question", "other_lang"),
    [
        ("/zh-hans/chat/", ZH_ANSWER, EN_ANSWER, "这个回答有帮助吗？", "Was this helpful?", "en"),
        ("/en/chat/", EN_ANSWER, ZH_ANSWER, "Was this helpful?", "这个回答有帮助吗？", "zh-Hans"),
    ],
)
def test_the_feedback_question_follows_the_answers_language_not_the_pages(
    url, own_answer, other_answer, own_question, other_question, other_lang
):
    """Issue 10 item 12: an English answer on the Chinese chat page is not followed by
    "这个回答有帮助吗？" (nor a Chinese answer on the English page by an English question), as in the
    widget; an answer in the page's language keeps the page's question."""
    client = Client()
    post(client, url=url, text="你好" if url.startswith("/zh") else "hello")
    conv = Conversation.objects.get()
    own = Message.objects.create(conversation=conv, seq=conv.last_seq + 1, sender="bot", text=own_answer)
    other = Message.objects.create(conversation=conv, seq=conv.last_seq + 2, sender="bot", text=other_answer)
    conv.last_seq = other.seq
    conv.save()
    forms = feedback_forms(client.get(url).content.decode())
    assert other_question in forms[other.seq] and own_question not in forms[other.seq]
    assert f'lang="{other_lang}"' in forms[other.seq]
    assert own_question in forms[own.seq] and other_question not in forms[own.seq]


def test_an_emergency_reply_clears_earlier_choices_and_has_no_rating_buttons():
    """Without JavaScript too: after an emergency reply the buttons of earlier replies are gone,
    and the emergency reply (numbers first) has no 👍/👎."""
    client = Client()
    post(client, text="今天天气怎么样", id="w")
    assert re.search(r'name="choice"', client.get(URL).content.decode())
    post(client, text="救命 有人在砸我家门", id="e")
    html = client.get(URL).content.decode()
    assert 'name="choice"' not in html
    emergency = re.search(r'<li class="chat-msg chat-msg--bot chat-msg--emergency".*?</li>', html, re.S).group(0)
    assert 'href="tel:110"' in emergency
    assert "chat-feedback" not in emergency
    assert Message.objects.get(sender="bot", intent="emergency").seq == Message.objects.filter(sender="bot").last().seq
