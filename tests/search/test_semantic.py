"""Meaning as well as words (cms/search/semantic.py): the embedding model re-orders the
candidates that words found; it never adds a result words did not find; the setting and the
chat's answer decision leave it out."""

import numpy as np
import pytest

from cms.search import index, semantic
from tests.search.conftest import keys

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_lexicon():
    """Only the words typed and the model connect the questions of these tests."""
    from cms.models import SynonymSet

    SynonymSet.objects.all().delete()


@pytest.fixture
def wallets(make_faq):
    """Two FAQs that share every word of the questions below but one: what happened."""
    make_faq("stolen", "My wallet was stolen on the bus", "Report the theft at the nearest station.", lang="en")
    make_faq("found", "I found a wallet on the bus", "Hand it in at the nearest station.", lang="en")
    make_faq("stolen", "在公交车上钱包被偷了怎么办？", "到就近派出所报案。")
    make_faq("found", "在公交车上捡到钱包怎么办？", "交到就近派出所。")


def test_the_model_ships_with_the_product_and_places_paraphrases_near():
    """Read from the installed package (no download); a paraphrase is nearer than another
    question that shares its words, in both languages."""
    lost, replace, dog = semantic.embed(
        ["lost my passport", "How do I replace a lost passport?", "How do I register a dog?"]
    )
    assert lost @ replace > 0.6 > lost @ dog
    stolen, report, register = semantic.embed(["车子被偷了", "自行车被盗后怎么报案？", "新买的自行车在哪里登记？"])
    assert stolen @ report > stolen @ register
    assert np.allclose(np.linalg.norm(semantic.embed(["护照", "passport"]), axis=1), 1.0, atol=1e-5)
    assert np.array_equal(semantic.embed_kept(["护照", "passport"]), semantic.embed(["护照", "passport"]))


def test_a_question_said_differently_finds_the_faq_it_means(wallets, settings):
    """ "picked up" / "拿到" are in neither FAQ: by words alone the two tie on wallet and bus
    and the first indexed wins; the model knows that picking up a wallet is finding one."""
    assert keys(index.search("I picked up a wallet on the bus", lang="en")) == ["found", "stolen"]
    assert keys(index.search("在公交车上拿到一个钱包", lang="zh-hans")) == ["found", "stolen"]
    settings.SEARCH_SEMANTIC = False
    assert keys(index.search("I picked up a wallet on the bus", lang="en")) == ["stolen", "found"]
    assert keys(index.search("在公交车上拿到一个钱包", lang="zh-hans")) == ["stolen", "found"]


def test_meaning_never_adds_a_result_that_shares_no_word(wallets):
    assert index.search("weather tomorrow", lang="en") == []
    assert set(keys(index.search("wallet", lang="en"))) == {"stolen", "found"}


def test_the_chat_decides_on_words_alone_and_offers_by_meaning(wallets):
    """The answer decision was fitted on word scores: its search leaves the model out;
    "did you mean" (with_thesaurus) ranks as the search page does."""
    from chatbot.engine import answer

    question = "I picked up a wallet on the bus"
    assert keys(answer.search(question, "en")) == ["stolen", "found"]
    assert keys(answer.search(question, "en", with_thesaurus=True)) == ["found", "stolen"]
    assert keys(index.search(question, lang="en")) == ["found", "stolen"]


def test_a_document_keeps_its_vectors_in_the_index(wallets):
    """Computed when indexed: the body's row, then the question side's."""
    searcher = index._searcher()
    stored = [searcher.stored_fields(n) for n in range(searcher.doc_count_all())]
    by_key = {(s["key"], s["lang"]): s for s in stored}
    rows = semantic._rows(by_key[("stolen", "en")])
    assert rows.shape == (2, semantic.DIM)
    expected = semantic.embed(["My wallet was stolen on the bus"])[0]
    assert float(rows[1] @ expected) > 0.999
