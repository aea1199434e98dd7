"""The chat engine (chatbot.engine.respond) over the real search index, the real demo FAQs and the
real desk actions: every intent in both languages."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from chatbot.engine import handover_unavailable
from chatbot.engine.messages import check_complete
from cms.models import FAQ
from desk import actions as desk_actions
from desk.models import Inquiry
from tests.chatbot import engine_support
from tests.chatbot.conversation import Chat, choice_ids

content = pytest.fixture(scope="module")(engine_support.content_fixture)

pytestmark = pytest.mark.django_db


# --- small talk --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent", "lang", "needle"),
    [
        ("你好", "greeting", "zh-hans", "您好"),
        ("Hello", "greeting", "en", "Hello"),
        ("你能做什么", "help", "zh-hans", "提交"),
        ("what can you do", "help", "en", "file a"),
        ("谢谢", "thanks", "zh-hans", "不客气"),
        ("thanks a lot!", "thanks", "en", "welcome"),
        ("再见", "goodbye", "zh-hans", "再见"),
        ("bye", "goodbye", "en", "Goodbye"),
    ],
)
def test_small_talk_in_both_languages(content, text, intent, lang, needle):
    """Greeting, help, thanks and goodbye are recognised and answered in the message's language."""
    result = Chat().say(text)
    assert result.intents == [intent]
    assert result.replies[0].lang == lang
    assert needle in result.replies[0].text
    assert result.actions == []


def test_greeting_and_help_offer_the_menu(content):
    """The greeting and help replies offer the four things the assistant does as buttons."""
    for text in ("你好", "what can you do"):
        ids = choice_ids(Chat().say(text))
        assert ids == ["menu:ask", "menu:request", "menu:track", "menu:handover"]


def test_reply_language_follows_the_message_not_the_page(content):
    """English typed on the Chinese page is answered in English; digits alone follow the page."""
    assert Chat(page_lang="zh-hans").say("hello").replies[0].lang == "en"
    assert Chat(page_lang="en").say("你好").replies[0].lang == "zh-hans"
    assert Chat(page_lang="en").say("123").replies[0].lang == "en"
    assert Chat(page_lang="zh-hans").say("？？").replies[0].lang == "zh-hans"


def test_every_message_exists_in_both_languages():
    """No bot text is missing its Chinese or English version."""
    assert check_complete() == []


# --- answers from content ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "lang", "key", "needle"),
    [("护照丢了", "zh-hans", "passport-lost", "护照"), ("noisy neighbours", "en", "noise-complaint", "loud")],
)
def test_faq_answer_with_its_source(content, question, lang, key, needle):
    """A clear question gets the FAQ's answer as short plain text with a link to its source."""
    result = Chat().say(question)
    assert result.intents == ["faq"]
    reply = result.replies[0]
    assert reply.lang == lang
    assert needle in reply.text.lower()
    assert "<" not in reply.text  # plain text, no HTML
    faq = FAQ.objects.get(key=key, locale__language_code=lang)
    assert reply.sources == [{"key": key, "title": faq.question, "url": faq.get_url()}]
    assert reply.sources[0]["url"].startswith(f"/{lang}/faq/")
    assert reply.sources[0]["url"].endswith(f"#faq-{key}")
    assert len(reply.text) <= 500


def test_an_unpublished_faq_is_never_answered(content):
    """An FAQ unpublished a moment ago (still in a reader's view of the index) is not used."""
    faq = FAQ.objects.get(key="passport-lost", locale__language_code="zh-hans")
    faq.unpublish()
    result = Chat().say("护照丢了")
    assert all(source["key"] != "passport-lost" for reply in result.replies for source in reply.sources)


@pytest.mark.parametrize(("question", "lang"), [("身份证", "zh-hans"), ("passport", "en")])
def test_ambiguous_question_gets_up_to_three_choices_and_a_choice_answers(content, question, lang):
    """A question several FAQs match about equally gets "did you mean" with at most three FAQ
    buttons and "none of these"; pressing one answers with that FAQ and its source."""
    chat = Chat()
    result = chat.say(question)
    assert result.intents == ["clarify"]
    ids = choice_ids(result)
    assert 2 <= len(ids) <= 4 and ids[-1] == "clarify:none"
    assert all(i.startswith(("faq:", "page:")) for i in ids[:-1])
    assert result.action_types() == ["log_unanswered"]  # low confidence is logged for editors
    picked = ids[0]
    answer = chat.press(result, picked)
    assert answer.intents == ["faq"]
    assert answer.replies[0].sources[0]["key"] == picked.split(":", 1)[1]
    assert answer.replies[0].lang == lang


def test_clarify_choice_can_be_typed_as_a_number_and_none_leads_to_the_offer(content):
    """Typing "2" picks the second choice; "none of these" gives the honest offer."""
    chat = Chat()
    ids = choice_ids(chat.say("身份证"))
    second = chat.say("2")
    assert second.intents == ["faq"]
    assert second.replies[0].sources[0]["key"] == ids[1].split(":", 1)[1]
    chat = Chat()
    first = chat.say("身份证")
    none = chat.press(first, "clarify:none")
    assert none.intents == ["unknown"]
    assert set(choice_ids(none)) == {"menu:handover", "menu:request"}


@pytest.mark.parametrize(("question", "lang"), [("附近有什么好吃的", "zh-hans"), ("who won the football match", "en")])
def test_unknown_question_is_honest_and_logged(content, question, lang):
    """A question the content does not answer gets "I don't know" with the offer of a person or a
    request, and is logged for the editors' report."""
    result = Chat().say(question)
    assert result.intents == ["unknown"]
    assert result.replies[0].lang == lang
    assert result.replies[0].sources == []
    assert set(choice_ids(result)) == {"menu:handover", "menu:request"}
    assert result.actions[0]["type"] == "log_unanswered"
    assert result.actions[0]["question"] == question
    assert result.actions[0]["confidence"] < 0.25


def test_fallback_offers_the_menu_after_two_misunderstandings_and_never_loops(content):
    """Two unanswerable questions in a row lead to the menu; it keeps being offered instead of the
    same question, and understanding something resets the count."""
    chat = Chat(page_lang="en")
    assert chat.say("who won the football match").intents == ["unknown"]
    second = chat.say("what is the exchange rate on mars")
    assert second.intents == ["fallback"]
    assert choice_ids(second) == ["menu:ask", "menu:request", "menu:track", "menu:handover"]
    third = chat.say("???")
    assert third.intents == ["fallback"]
    assert chat.say("hello").intents == ["greeting"]
    assert chat.say("who won the football match").intents == ["unknown"]


def test_fallback_inside_a_flow_offers_to_continue_instead_of_asking_forever(content):
    """Nonsense at a step is re-asked once, then the menu (with "carry on") is offered; carrying
    on asks the pending question again."""
    chat = Chat()
    chat.say("我要提交诉求")
    first = chat.say("啦啦啦")
    assert "请从下面的选项中选择一个" in first.text
    second = chat.say("哈哈哈")
    assert second.intents == ["fallback"]
    assert choice_ids(second)[0] == "menu:continue"
    resumed = chat.press(second, "menu:continue")
    assert resumed.intents == ["request"]
    assert any(i.startswith("kind:") for i in choice_ids(resumed))


# --- emergency ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "lang", "lead"), [("有人拿刀", "zh-hans", "110"), ("my dad collapsed", "en", "120")])
def test_emergency_leads_with_numbers_and_flags(content, text, lang, lead):
    """An emergency is answered first with 110/119/120 as tel: links, says the chat is not an
    emergency line, and asks the transport to flag the conversation."""
    result = Chat().say(text)
    reply = result.replies[0]
    assert reply.intent == "emergency"
    assert reply.lang == lang
    assert reply.text.index("110") < 40
    assert [link["url"] for link in reply.links][0] == f"tel:{lead}"
    assert {link["url"] for link in reply.links} == {"tel:110", "tel:119", "tel:120"}
    assert ("不是紧急求助渠道" if lang == "zh-hans" else "not an emergency line") in reply.text
    assert result.actions[0]["type"] == "flag_emergency"


def test_emergency_in_the_middle_of_a_request_resumes_the_pending_question(content):
    """During filing, an emergency gets the numbers first, then the pending question again with
    its buttons; the filing then continues where it was."""
    chat = Chat()
    chat.say("我要投诉")
    asked = chat.results[-1]
    assert any(i.startswith("cat:") for i in choice_ids(asked))
    result = chat.say("救命 有人在砸我家门")
    assert result.intents[0] == "emergency"
    assert result.intents[-1] == "request"
    assert choice_ids(result) == choice_ids(asked)
    assert result.action_types() == ["flag_emergency"]
    after = chat.press(result, "cat:public-order")
    assert "请描述" in after.text


def test_emergency_typed_as_the_description_is_kept(content):
    """At the description step an emergency is flagged and its text kept as the description (the
    citizen does not have to type it again)."""
    chat = Chat(page_lang="en")
    chat.say("I want to file a complaint")
    chat.press(chat.results[-1], "cat:public-order")
    result = chat.say("my neighbour is hitting his wife right now, I can hear her screaming")
    assert result.intents[0] == "emergency"
    assert chat.state["data"]["description"].startswith("my neighbour is hitting")
    assert result.intents[-1] == "request"


# --- filing a request --------------------------------------------------------------------------


def test_request_flow_end_to_end_in_chinese_with_a_correction(content):
    """Kind, category, description, the contact the kind requires, consent, a summary where the
    description is corrected, then a real inquiry filed through the desk with channel "chat";
    the reference and access code are shown and work for tracking."""
    chat = Chat()
    start = chat.say("我要投诉")
    assert start.intents == ["request", "request"]
    assert chat.state["data"]["kind"] == "complaint"  # recognised from the opening words
    chat.press(start, "cat:public-order")
    chat.say("楼下烧烤店每天营业到凌晨三点，噪音很大，影响休息。")
    name = chat.results[-1]
    assert "姓名" in name.text
    chat.say("王小明")
    bad = chat.say("12")
    assert "格式不对" in bad.text
    consent = chat.say("13800001234")
    assert set(choice_ids(consent)) == {"consent:yes", "consent:no"}
    assert consent.replies[0].sources[0]["url"] == "/zh-hans/privacy/"
    summary = chat.press(consent, "consent:yes")
    assert "王小明" in summary.text and "13800001234" in summary.text
    edit = chat.press(summary, "edit:description")
    assert "请描述" in edit.text
    summary = chat.say("楼下烧烤店每天营业到凌晨三点，油烟和噪音都很大。")
    assert "油烟" in summary.text and "submit" in choice_ids(summary)
    assert Inquiry.objects.filter(channel="chat").count() == 0
    done = chat.press(summary, "submit")
    inquiry = Inquiry.objects.get(channel="chat")
    assert inquiry.kind == "complaint" and inquiry.category.slug == "public-order"
    assert inquiry.description == "楼下烧烤店每天营业到凌晨三点，油烟和噪音都很大。"
    assert inquiry.name == "王小明" and inquiry.phone == "13800001234" and inquiry.lang == "zh-hans"
    assert done.action_types() == ["inquiry_created"]
    assert done.actions[0]["reference"] == inquiry.reference
    assert inquiry.reference in done.text
    code = re.search(r"查询码：(\S+)", done.text).group(1)
    assert desk_actions.lookup(inquiry.reference, code) == inquiry
    assert chat.state["flow"] is None


def test_request_flow_in_english_with_typed_answers_and_anonymous_tip(content):
    """Typed numbers and words work instead of buttons; a tip may stay anonymous."""
    chat = Chat(page_lang="en")
    kinds = chat.say("I want to file a request")
    kind_ids = choice_ids(kinds)
    chat.say(str(kind_ids.index("kind:tip") + 1))
    categories = chat.results[-1]
    cat_ids = choice_ids(categories)
    chat.say(str(cat_ids.index("cat:drugs-gambling") + 1))
    chat.say("There is a gambling den behind the market on Spring Road, open every night.")
    contact = chat.results[-1]
    assert "contact:skip" in choice_ids(contact)
    chat.say("skip")
    chat.say("yes")
    summary = chat.results[-1]
    assert "anonymous" in summary.text
    done = chat.say("submit")
    inquiry = Inquiry.objects.get(channel="chat")
    assert inquiry.kind == "tip" and inquiry.name == "" and inquiry.phone == "" and inquiry.lang == "en"
    assert "Access code" in done.text


def test_refusing_consent_files_nothing_and_cancel_stops(content):
    """Without consent nothing is filed; "取消" ends the flow."""
    chat = Chat()
    chat.say("我想提建议")
    chat.press(chat.results[-1], "cat:website")
    chat.say("希望网站能增加英文的办事指南和更多常见问题。")
    chat.say("匿名")
    refused = chat.say("不同意")
    assert "无法提交" in refused.text
    cancelled = chat.say("取消")
    assert cancelled.intents == ["fallback"] and chat.state["flow"] is None
    assert Inquiry.objects.filter(channel="chat").count() == 0


def test_contact_rule_of_the_kind_is_followed(content):
    """A consultation needs a phone number or an e-mail address: an e-mail is accepted."""
    chat = Chat(page_lang="en")
    chat.say("I want to file a request")
    chat.press(chat.results[-1], "kind:consultation")
    chat.press(chat.results[-1], "cat:id-card")
    asked = chat.say("Can I apply for my son's first ID card while he studies abroad?")
    assert "phone number or an e-mail" in asked.text
    chat.say("not an address")
    chat.say("mum@example.com")
    chat.say("yes")
    chat.say("submit")
    assert Inquiry.objects.get(channel="chat").email == "mum@example.com"


# --- tracking ----------------------------------------------------------------------------------


@pytest.fixture
def filed(content):
    result = desk_actions.open_inquiry(
        kind="consultation",
        category="residence-permit",
        subject="居住证签注",
        description="居住证快到期了，可以在哪里签注？",
        phone="13800000009",
        lang="zh-hans",
        consent=True,
    )
    staff = get_user_model().objects.create_user("sup", password="x")
    staff.groups.add(Group.objects.get_or_create(name="Supervisors")[0])
    desk_actions.reply(staff, result.inquiry, "可在居住地任一派出所签注，请带身份证和居住证。")
    return result


def test_tracking_with_the_right_code_shows_status_and_latest_reply(content, filed):
    """A reference in a message starts tracking; the right access code shows the status, the due
    date and the latest public reply, with a link to the tracking page."""
    chat = Chat()
    asked = chat.say(f"帮我查一下 {filed.inquiry.reference}")
    assert asked.intents == ["track"] and "查询码" in asked.text
    result = chat.say(filed.access_code.lower())
    assert result.intents == ["track"]
    assert "已答复" in result.text or "Replied" in result.text or "状态" in result.text
    assert "可在居住地任一派出所签注" in result.text
    assert result.actions == [{"type": "track_attempt", "reference": filed.inquiry.reference, "ok": True}]
    assert result.replies[0].sources[0]["url"].startswith("/zh-hans/requests/track/")


def test_tracking_in_english_with_reference_and_code_in_one_message(content, filed):
    """Reference and code together answer at once; the reply is in English."""
    result = Chat(page_lang="en").say(f"track {filed.inquiry.reference} {filed.access_code}")
    assert result.intents == ["track"]
    assert "Status" in result.text and "Latest reply" in result.text


def test_tracking_with_a_wrong_code_reveals_nothing_and_counts_attempts(content, filed):
    """A wrong code and an unknown reference get the same generic message; every attempt is an
    action the transport can rate-limit; after three the flow ends with the tracking page."""
    chat = Chat()
    chat.say(filed.inquiry.reference)
    wrong = chat.say("AAAAA-BBBBB")
    assert "不匹配" in wrong.text and "居住证" not in wrong.text
    assert wrong.actions == [{"type": "track_attempt", "reference": filed.inquiry.reference, "ok": False}]
    unknown = Chat()
    unknown.say("YG-2026-999999")
    assert unknown.say("AAAAA-BBBBB").text == wrong.text
    chat.say("CCCCC-DDDDD")
    third = chat.say("EEEEE-FFFFF")
    assert "/zh-hans/requests/track/" in third.text and chat.state["flow"] is None


def test_track_intent_without_reference_asks_for_it(content):
    """ "查询进度" asks for the reference, then for the code."""
    chat = Chat()
    assert "受理编号" in chat.say("我想查询进度").text
    assert "没有识别到受理编号" in chat.say("不知道").text


@pytest.mark.parametrize("text", ["track my request", "track", "I want to track my complaint"])
def test_tracking_words_start_tracking(content, text):
    assert Chat().say(text).intents[0] == "track"


@pytest.mark.parametrize(
    "text", ["How can I track traffic for my github repo?", "how do I keep track of my passport renewal"]
)
def test_track_in_a_question_is_not_a_tracking_command(content, text):
    """ "keep track of", "track traffic": a question, answered from content, not tracking."""
    assert "track" not in Chat().say(text).intents


# --- handover ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "lang"), [("转人工", "zh-hans"), ("I want to talk to a person", "en")])
def test_handover_says_what_is_shared_and_asks_first(content, text, lang):
    """Asking for a person explains what the officer will see and asks for confirmation; only
    "yes" produces the handover_request action."""
    chat = Chat()
    asked = chat.say(text)
    assert asked.intents == ["handover"] and asked.actions == []
    assert ("全部内容" if lang == "zh-hans" else "whole conversation") in asked.text
    assert choice_ids(asked) == ["handover:yes", "handover:no"]
    yes = chat.press(asked, "handover:yes")
    assert yes.action_types() == ["handover_request"]
    declined = Chat()
    declined.say(text)
    no = declined.say("不用了" if lang == "zh-hans" else "no")
    assert no.actions == [] and no.intents == ["handover"]


def test_nobody_on_duty_turns_the_conversation_into_a_request(content):
    """When the transport finds nobody on duty, handover_unavailable says so and starts filing,
    with the question that could not be answered kept as the description."""
    chat = Chat()
    chat.say("附近有什么好吃的餐馆推荐一下吗")
    chat.press(chat.results[-1], "menu:handover")
    chat.press(chat.results[-1], "handover:yes")
    result = handover_unavailable(chat.state, "zh-hans")
    assert result.intents[0] == "handover" and "没有值班民警在线" in result.text
    assert result.intents[-1] == "request"
    assert result.state["flow"] == "request"
    assert result.state["data"]["description"] == "附近有什么好吃的餐馆推荐一下吗"
    assert any(i.startswith("kind:") for i in choice_ids(result))


def test_nobody_on_duty_in_english(content):
    """The unavailable path speaks the conversation's language."""
    chat = Chat(page_lang="en")
    chat.say("talk to a human")
    chat.say("yes")
    result = handover_unavailable(chat.state, "en")
    assert "no duty officer is online" in result.text
    assert result.replies[-1].lang == "en"


def test_emergency_is_followed_by_a_confident_answer_when_there_is_one(content):
    """A missing child gets the numbers first and then the missing-person FAQ (no 24-hour wait);
    an emergency for which nothing relevant is found gets only the numbers."""
    result = Chat().say("my child is missing")
    assert result.intents == ["emergency", "faq"]
    assert result.replies[1].sources[0]["key"] == "missing-person"
    assert result.action_types()[0] == "flag_emergency"
    assert Chat().say("he has a gun").intents == ["emergency"]


def test_a_false_alarm_still_gets_its_did_you_mean(content):
    """A question misread as an emergency ("救命 驾照": a driving-licence question) gets the
    numbers first and then what it would have got without the alarm: "did you mean" with the
    driving-licence FAQs, one of which answers when pressed."""
    chat = Chat()
    result = chat.say("救命 驾照")
    assert result.intents == ["emergency", "clarify"]
    ids = choice_ids(result)
    assert ids[-1] == "clarify:none"
    assert all(i.startswith("faq:driving-licence") for i in ids[:-1])
    picked = chat.press(result, ids[0])
    assert picked.intents == ["faq"]
    assert picked.replies[0].sources[0]["key"] == ids[0].split(":", 1)[1]


def test_an_emergency_with_nothing_found_adds_no_i_dont_know_and_counts_no_miss(content):
    """When nothing relevant is found the numbers stand alone: no "I don't know", no offer, and
    the alarm does not count towards the fallback after repeated misses."""
    chat = Chat()
    for _ in range(3):
        result = chat.say("救命 有人在砸我家门")
        assert result.intents == ["emergency"]
        assert choice_ids(result) == []
    assert chat.state["misses"] == 0


def _keys(result):
    keys = {source["key"] for reply in result.replies for source in reply.sources}
    return keys | {choice["id"].split(":", 1)[1] for reply in result.replies for choice in reply.choices}


def test_a_page_can_answer_and_an_unpublished_page_is_not_used(content):
    """A question about a page (a station) is answered from it (an excerpt and a link) or offered
    as a choice; once the page is unpublished it is no longer used, even before the index hears."""
    station = content.zh["station"]
    result = Chat().say("城东派出所")
    assert str(station.pk) in _keys(result)
    if result.intents == ["faq"]:
        assert result.replies[0].sources[0]["url"] == station.get_url()
        assert result.replies[0].text.startswith("这个页面可能有您要的信息")
    station.unpublish()
    assert str(station.pk) not in _keys(Chat().say("城东派出所"))


def test_an_opening_with_details_keeps_them_as_the_description(content):
    """ "我想举报…" with details starts a tip with those words as the description draft, which the
    summary shows; "我想办理居住证" is a question, not a filing."""
    chat = Chat()
    text = "我想举报小区地下室里天天晚上有人聚众赌博"
    start = chat.say(text)
    assert start.intents[0] == "request"
    assert chat.state["data"] == {"kind": "tip", "description": text}
    chat.press(start, "cat:drugs-gambling")
    chat.say("匿名")
    summary = chat.say("同意")
    assert text in summary.text
    assert Chat().say("我想办理居住证").intents[0] != "request"


def test_a_new_question_during_tracking_is_answered(content):
    """While asked for a reference, a new question leaves tracking and is answered as a question."""
    chat = Chat()
    chat.say("我想查询进度")
    result = chat.say("护照丢了怎么办")
    assert result.intents[0] in ("faq", "clarify")
    assert chat.state["flow"] != "track"
