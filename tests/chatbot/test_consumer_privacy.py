"""A conversation that touches a request takes that request's visibility; access codes are never
shown back in a transcript or to staff; staff URLs name a conversation by a random public id.

The scenario of issue 10: a citizen tracks a police-conduct complaint in the chat. A duty officer
of another department must not open that conversation (page or socket), and nobody reads the
access code in its transcript."""

import re

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from chatbot import service
from chatbot.models import Conversation, Message
from desk import actions as desk_actions
from desk import demo
from desk.models import Department

from .chat_helpers import ask, citizen, clean_cache, drain, make_user, staff_socket, welcome  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True)]

CHAT = "/zh-hans/chat/"


def _complaint():
    demo.seed_configuration()
    return desk_actions.open_inquiry(
        kind="complaint",
        category="police-conduct",
        subject="民警态度恶劣",
        description="昨天在派出所办事时，值班民警态度恶劣，还推搡了我。",
        name="李四",
        phone="13800000001",
        lang="zh-hans",
        consent=True,
    )


def _officer(username, department_slug, group="Duty staff"):
    user = make_user(username, group)
    Department.objects.get(slug=department_slug).members.add(user)
    return user


def _admin_client(user):
    client = Client()
    client.force_login(user)
    return client


def test_tracking_a_complaint_ties_the_conversation_to_it_and_hides_the_code():
    filed = _complaint()
    reference, code = filed.inquiry.reference, filed.access_code
    citizen_client = Client(REMOTE_ADDR="198.51.100.60")
    assert citizen_client.post(CHAT, {"action": "message", "text": f"查询进度 {reference} {code}"}).status_code == 302
    conv = Conversation.objects.get()
    answer = Message.objects.filter(conversation=conv, sender="bot").latest("seq").text
    assert reference in answer  # the status was shown …
    assert conv.inquiry_id == filed.inquiry.pk and list(conv.inquiries.all()) == [filed.inquiry]

    # … and the access code is nowhere in what was stored …
    stored = " ".join(Message.objects.filter(conversation=conv).values_list("text", flat=True))
    assert code not in stored and code.replace("-", "") not in stored
    assert service.CODE_MASK in stored
    # … nor on the citizen's own page.
    assert code not in citizen_client.get(CHAT).content.decode()

    traffic = _officer("duty-traffic", "traffic")
    supervision = _officer("duty-supervision", "supervision")
    url = f"/admin/chat/{conv.public_id}/"
    assert _admin_client(traffic).get(url).status_code in (403, 404)
    assert not service.visible_conversations(traffic).filter(pk=conv.pk).exists()
    page = _admin_client(supervision).get(url)
    assert page.status_code == 200 and reference in page.content.decode()
    assert code not in page.content.decode()


def test_a_code_typed_in_any_form_is_masked_when_the_engine_used_it():
    filed = _complaint()
    reference, code = filed.inquiry.reference, filed.access_code
    spaced = f"{code[:5].lower()} {code[6:].lower()}"  # "abcde fghjk": still the right code
    citizen_client = Client(REMOTE_ADDR="198.51.100.61")
    citizen_client.post(CHAT, {"action": "message", "text": f"帮我查一下 {reference}"})
    citizen_client.post(CHAT, {"action": "message", "text": spaced})
    conv = Conversation.objects.get()
    assert conv.inquiry_id == filed.inquiry.pk  # the look-up succeeded
    texts = list(Message.objects.filter(conversation=conv, sender="citizen").values_list("text", flat=True))
    assert texts[-1] == service.CODE_MASK


def test_staff_never_see_a_code_even_in_a_transcript_stored_before_masking():
    conv = Conversation.objects.create()
    Message.objects.create(conversation=conv, seq=1, sender="citizen", text="我的查询码是 ABCD7-EFGH9")
    conv.last_seq = 1
    conv.save()
    officer = make_user("supervisor-x", "Supervisors")
    page = _admin_client(officer).get(f"/admin/chat/{conv.public_id}/").content.decode()
    assert "ABCD7-EFGH9" not in page and service.CODE_MASK in page
    assert service.serialize(Message.objects.get(), for_staff=True)["text"] == f"我的查询码是 {service.CODE_MASK}"


def test_masking_leaves_ordinary_text_alone():
    for text in ("身份证丢了怎么补办", "strengthen", "YG-2026-000123", "13800000000", "abcde-fghjk"):
        if text == "abcde-fghjk":  # letters only but in the code's shape: masked
            assert service.mask_access_codes(text) == service.CODE_MASK
        else:
            assert service.mask_access_codes(text) == text
    masked = service.mask_access_codes("码：ＡＢＣＤ７－ＥＦＧＨ９。")
    assert service.CODE_MASK in masked and "７" not in masked


def test_staff_urls_do_not_count_conversations():
    first, second = Conversation.objects.create(), Conversation.objects.create()
    assert first.public_id != second.public_id
    assert str(first.pk) not in service.live_chat_url(first).replace(str(first.public_id), "")
    assert re.fullmatch(r"/admin/chat/[0-9a-f-]{36}/", service.live_chat_url(second))
    officer = make_user("supervisor-y", "Supervisors")
    assert _admin_client(officer).get(f"/admin/chat/{second.pk}/").status_code == 404


@pytest.mark.asyncio
async def test_the_staff_socket_of_another_department_is_refused():
    filed = await sync_to_async(_complaint)()
    socket = citizen("lang=zh-hans", address="198.51.100.62")
    await welcome(socket)
    await ask(socket, f"查询进度 {filed.inquiry.reference} {filed.access_code}", client_id="t1")
    await socket.disconnect()
    conv = await sync_to_async(Conversation.objects.get)()

    traffic = await sync_to_async(_officer)("duty-traffic2", "traffic")
    refused = staff_socket(traffic, conv.public_id)
    connected, code = await refused.connect()
    assert not connected or code == 4403

    supervision = await sync_to_async(_officer)("duty-supervision2", "supervision")
    allowed = staff_socket(supervision, conv.public_id, "last_seq=0")
    connected, _ = await allowed.connect()
    assert connected
    hello = await allowed.receive_json_from()
    assert hello["conversation"] == str(conv.public_id)
    transcript = await drain(allowed)
    assert transcript and all(filed.access_code not in m.get("text", "") for m in transcript)
    await allowed.disconnect()


@pytest.mark.asyncio
async def test_a_new_tab_reads_the_transcript_without_the_code():
    filed = await sync_to_async(_complaint)()
    socket = citizen("lang=zh-hans", address="198.51.100.63")
    token = (await welcome(socket))["conversation"]
    messages = await ask(socket, f"查询进度 {filed.inquiry.reference} {filed.access_code}", client_id="t2")
    assert messages[0]["text"] == f"查询进度 {filed.inquiry.reference} {service.CODE_MASK}"  # the echo
    await socket.disconnect()
    again = citizen(f"token={token}&last_seq=0", address="198.51.100.63")
    await welcome(again)
    assert all(filed.access_code not in m.get("text", "") for m in await drain(again))
    await again.disconnect()


def test_a_receipt_shows_the_code_once_and_stores_it_masked():
    """Filed in the chat (the /chat/ page): the next page shows the access code once; the stored
    reply, a reload and every officer see it masked."""
    demo.seed_configuration()
    page = Client(REMOTE_ADDR="198.51.100.64")

    def send(**data):
        assert page.post(CHAT, data).status_code == 302

    send(action="message", text="我要投诉")
    send(action="choice", choice="cat:public-order")
    send(action="message", text="楼下烧烤店每天营业到凌晨三点，噪音很大，影响休息。")
    send(action="message", text="王小明")
    send(action="message", text="13800001234")
    send(action="choice", choice="consent:yes")
    send(action="choice", choice="submit")
    receipt = page.get(CHAT).content.decode()
    code = re.search(r"查询码：([A-Z0-9]{5}-[A-Z0-9]{5})", receipt).group(1)
    conv = Conversation.objects.get()
    assert desk_actions.lookup(conv.inquiry.reference, code) == conv.inquiry
    stored = Message.objects.filter(conversation=conv, sender="bot").latest("seq").text
    assert code not in stored and service.CODE_MASK in stored and conv.inquiry.reference in stored
    assert code not in page.get(CHAT).content.decode()  # shown only once
