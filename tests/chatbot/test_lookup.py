"""Answers are kept per question until the content changes: an editor's change shows in the very
next answer, and a repeated question costs no database query."""

import pytest

from chatbot.engine import lookup, respond
from cms.models import FAQ
from tests.chatbot import engine_support

content = pytest.fixture(scope="module")(engine_support.content_fixture)

pytestmark = pytest.mark.django_db


def ask(text, lang=None):
    return respond({}, text, lang, page_lang="zh-hans")


def test_a_repeated_question_is_answered_without_database_queries(content, django_assert_num_queries):
    lookup.clear()
    first = ask("护照丢了")
    assert first.replies[0].intent == "faq"
    with django_assert_num_queries(0):
        again = ask("护照丢了")
    assert again.replies[0].text == first.replies[0].text
    assert again.replies[0].sources == first.replies[0].sources


def test_an_edited_answer_shows_in_the_next_reply(content, django_capture_on_commit_callbacks):
    """An editor publishes a new answer: the chat answers with it at once, not a minute later."""
    lookup.clear()
    assert "请先挂失" not in ask("护照丢了").replies[0].text
    faq = FAQ.objects.get(key="passport-lost", locale__language_code="zh-hans")
    faq.answer = "<p>请先挂失，再到出入境窗口补办。</p>"
    with django_capture_on_commit_callbacks(execute=True):
        faq.save_revision().publish()
    reply = ask("护照丢了").replies[0]
    assert reply.intent == "faq" and "请先挂失" in reply.text


def test_an_unpublished_faq_leaves_the_answers_at_once(content):
    """Unpublished (even before the index has heard of it): never answered again."""
    lookup.clear()
    assert ask("noisy neighbours", "en").replies[0].sources[0]["key"] == "noise-complaint"
    FAQ.objects.get(key="noise-complaint", locale__language_code="en").unpublish()
    result = ask("noisy neighbours", "en")
    assert all(s["key"] != "noise-complaint" for reply in result.replies for s in reply.sources)


def test_entries_older_than_the_age_limit_are_looked_up_again(content, monkeypatch):
    lookup.clear()
    ask("护照丢了")
    misses = lookup.stats["misses"]
    ask("护照丢了")
    assert lookup.stats["misses"] == misses
    monkeypatch.setattr(lookup, "MAX_AGE", 0.0)
    ask("护照丢了")
    assert lookup.stats["misses"] == misses + 1
