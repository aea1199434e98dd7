"""The index follows the content: publish, edit, unpublish, delete, expiry, privacy,
translation; filters; bounds; recovery from a missing or corrupt index."""

import datetime as dt
import logging
import time

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.factories import publish
from cms.search import index
from tests.search.conftest import keys

pytestmark = pytest.mark.django_db


def test_published_faq_is_found_and_draft_is_not(make_faq, search_dir):
    """A published FAQ is found by a colloquial question; a draft never is."""
    make_faq("id-lost", "居民身份证遗失后如何补领？", "到派出所补领，工本费20元。", paraphrases=["身份证丢了怎么办"])
    make_faq("draft", "身份证草稿问题", "草稿答案", published=False)
    hits = index.search("身份证丢了怎么办", lang="zh-hans")
    assert keys(hits) == ["id-lost"]
    assert hits[0].kind == "faq" and hits[0].lang == "zh-hans" and hits[0].score > 0
    assert index.search("草稿") == []


def test_editing_a_live_faq_updates_the_index(make_faq, commit):
    """After an editor publishes a new question, search finds the new words, not the old ones."""
    faq = make_faq("dog", "养犬登记怎么办？", "到派出所办理。")
    faq.question = "犬只年检怎么办？"
    commit(faq.save_revision().publish)
    assert keys(index.search("年检")) == ["dog"]
    assert index.search("登记") == []


def test_unpublish_removes_the_faq(make_faq, commit):
    """An unpublished FAQ leaves the results at once."""
    faq = make_faq("passport", "护照过期了怎么换发？", "到出入境窗口办理。")
    assert keys(index.search("护照")) == ["passport"]
    commit(faq.unpublish)
    assert index.search("护照") == []


def test_deleted_faq_is_removed(make_faq, commit):
    """A deleted FAQ is no longer returned."""
    faq = make_faq("seal", "公章遗失怎么办？", "登报声明后重新刻制。")
    commit(faq.delete)
    assert index.search("公章") == []


def test_rolled_back_change_never_reaches_the_index(make_faq, django_capture_on_commit_callbacks):
    """Index updates wait for the commit: without it, nothing changes in the index."""
    faq = make_faq("hotel", "开旅馆要办特种行业许可证吗？", "需要。")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        faq.unpublish()
    assert callbacks, "the index update is deferred to on_commit"
    assert keys(index.search("旅馆")) == ["hotel"]  # not yet: the transaction has not committed


def test_guide_publish_unpublish_delete(make_guide, commit):
    """A service guide appears when published and leaves when unpublished or deleted."""
    guide = make_guide("居住证申领", "外来人员申领居住证的办理指南。")
    hits = index.search("居住证", kind="page")
    assert [h.page_type for h in hits] == ["guide"]
    assert hits[0].key == str(guide.pk) and hits[0].url.endswith(f"/guides/{guide.slug}/")
    commit(guide.unpublish)
    assert index.search("居住证") == []
    commit(guide.save_revision().publish)
    assert len(index.search("居住证")) == 1
    commit(guide.delete)
    assert index.search("居住证") == []


def test_draft_page_is_not_found(make_guide):
    """A page that was never published is not in the results."""
    make_guide("驾驶证换证", "驾驶证到期换证。", published=False)
    assert index.search("驾驶证") == []


def test_private_page_is_not_found(make_guide, commit):
    """Putting a page behind a password removes it; lifting the restriction brings it back."""
    guide = make_guide("特种行业许可", "旅馆业特种行业许可证办理。")
    restriction = commit(
        PageViewRestriction.objects.create, page=guide, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert index.search("特种行业") == []
    commit(restriction.delete)
    assert len(index.search("特种行业")) == 1


def test_expired_notice_leaves_results_without_reindex(make_notice):
    """A notice leaves the results the moment it expires, with no index update in between; a
    rebuild then drops it from the index."""
    make_notice("出入境业务常年办理", "出入境窗口工作日开放。")
    expires = timezone.now() + dt.timedelta(seconds=4)
    notice = make_notice("春节期间出入境业务安排", "春节期间出入境窗口开放时间调整。", expires_at=expires)
    assert str(notice.pk) in keys(index.search("出入境"))
    before = index.doc_count()
    time.sleep(max(0.0, (expires - timezone.now()).total_seconds()) + 0.1)
    assert str(notice.pk) not in keys(index.search("出入境"))
    assert index.doc_count() == before  # nothing was re-indexed: the query filtered it
    index.rebuild()
    assert index.doc_count() == before - 1


def test_translation_is_indexed_in_its_language(site, make_faq, make_guide, commit):
    """A translated FAQ and a translated page are found in English once the translation is
    published, and not before."""
    make_faq("lost-id", "身份证丢了怎么办？", "补领。")
    make_faq("lost-id", "What if I lose my ID card?", "Apply for a replacement.", lang="en")
    assert keys(index.search("lost ID card", lang="en")) == ["lost-id"]
    assert keys(index.search("身份证", lang="zh-hans")) == ["lost-id"]

    home_en = commit(site["home"].copy_for_translation, site["en"])
    commit(publish, home_en)
    guides_en = commit(site["guides"].copy_for_translation, site["en"])
    commit(publish, guides_en)
    guide = make_guide("护照办理", "普通护照申请指南。")
    guide_en = commit(guide.copy_for_translation, site["en"])
    guide_en.title = "Passport application"
    guide_en.summary = "How to apply for an ordinary passport."
    commit(guide_en.save)
    assert index.search("passport", lang="en", kind="page") == []  # a draft translation
    commit(publish, guide_en)
    hits = index.search("passport", lang="en", kind="page")
    assert [h.key for h in hits] == [str(guide_en.pk)] and hits[0].lang == "en"
    assert hits[0].url.startswith("/en/")


def test_filters_kind_page_type_and_languages(make_faq, make_guide, make_notice):
    """kind, page_type and all_languages restrict the results as documented."""
    make_faq("pp", "护照怎么办理？", "到出入境窗口。")
    make_faq("pp", "How do I get a passport?", "At the exit-entry counter.", lang="en")
    guide = make_guide("普通护照申请", "护照申请指南。")
    notice = make_notice("护照业务暂停通知", "系统升级，护照业务暂停一天。")
    assert set(keys(index.search("护照"))) == {"pp", str(guide.pk), str(notice.pk)}
    assert keys(index.search("护照", kind="faq")) == ["pp"]
    assert set(keys(index.search("护照", kind="page"))) == {str(guide.pk), str(notice.pk)}
    assert keys(index.search("护照", page_type="guide")) == [str(guide.pk)]
    assert keys(index.search("护照", page_type="notice")) == [str(notice.pk)]
    assert [h.lang for h in index.search("passport", lang="zh-hans")] == []
    both = index.search("passport 护照", lang="zh-hans", all_languages=True, kind="faq")
    assert sorted(h.lang for h in both) == ["en", "zh-hans"]


def test_bad_filter_values_raise_value_error(search_dir):
    """Programming errors in filters are reported, not silently ignored."""
    with pytest.raises(ValueError):
        index.search("x", lang="fr")
    with pytest.raises(ValueError):
        index.search("x", kind="video")


def test_snippet_is_highlighted_and_sanitized(make_faq):
    """Snippets highlight the matched words and never carry markup from the content."""
    make_faq(
        "xss", "无犯罪记录证明怎么开？", "带身份证到派出所开具无犯罪记录证明 &lt;script&gt;alert(1)&lt;/script&gt;"
    )
    hit = index.search("无犯罪记录证明")[0]
    assert "<strong>" in hit.snippet_html
    assert "<script" not in hit.snippet_html and "&lt;script&gt;" in hit.snippet_html
    assert "alert(1)" in hit.snippet and "<strong>" not in hit.snippet  # plain text


@pytest.mark.parametrize(
    "query",
    [
        "身份证" * 3000,
        " ".join(f"w{i}" for i in range(5000)),
        'AND OR NOT ( ) * ? " ~ ^ : [ ] { } \\ / 身份证',
        "的了吗呢 the a an of",
        "\x00\x1f\u202e 身份证",
    ],
)
def test_any_input_is_bounded_and_safe(make_faq, query):
    """No input makes search fail or slow: length, term count and time are capped."""
    make_faq("id", "身份证丢了怎么办？", "补领。")
    started = time.monotonic()
    index.search(query)
    assert time.monotonic() - started < 1.0


def test_synonyms_expand_queries_and_follow_edits(make_faq, commit):
    """The built-in sets make 狗证 find an FAQ that only says 养犬登记; switched off, they do
    not; an editor's own set does the same, and deleting it undoes that, without restarting."""
    from cms.models import SynonymSet

    make_faq("dog", "养犬登记如何办理？", "到派出所。")
    assert keys(index.search("狗证")) == ["dog"]
    for builtin in SynonymSet.objects.exclude(builtin_key=""):
        builtin.enabled = False
        commit(builtin.save)
    assert index.search("狗证") == []
    syn = commit(SynonymSet.objects.create, language="zh-hans", terms="狗证 = 养犬登记")
    assert keys(index.search("狗证")) == ["dog"]
    assert index.search("狗证", lang="en") == []  # a Chinese set does not apply to English
    commit(syn.delete)
    assert index.search("狗证") == []


def test_english_synonyms_and_stemming(make_faq, commit):
    """licence = license, and "renewing" matches "renew"."""
    from cms.models import SynonymSet

    make_faq("dl", "How do I renew my driving licence?", "Within 90 days.", lang="en")
    assert keys(index.search("renewing driving licences", lang="en")) == ["dl"]
    commit(SynonymSet.objects.create, language="en", terms="licence, license")
    assert keys(index.search("license", lang="en")) == ["dl"]


def test_misspelled_english_is_corrected(make_faq):
    """A misspelled English word still finds the answer, and a correction is offered."""
    make_faq("pp", "How do I apply for a passport?", "At any exit-entry counter.", lang="en")
    outcome = index.query("pasport", lang="en")
    assert keys(outcome.hits) == ["pp"]
    assert outcome.correction == "passport"
    assert index.query("passport", lang="en").correction == ""


def test_suggest_completes_titles(make_faq):
    """Suggestions offer matching questions while the citizen is still typing."""
    make_faq("pp", "How do I apply for a passport?", "At any exit-entry counter.", lang="en")
    make_faq("id", "居民身份证遗失后如何补领？", "补领。")
    assert [s["title"] for s in index.suggest("pass", lang="en")] == ["How do I apply for a passport?"]
    assert [s["title"] for s in index.suggest("身份证", lang="zh-hans")] == ["居民身份证遗失后如何补领？"]
    assert index.suggest("", lang="en") == []


def test_missing_index_is_rebuilt(make_faq, search_dir, caplog):
    """With the index directory gone, search rebuilds it from the database and logs a warning."""
    import shutil

    make_faq("id", "身份证丢了怎么办？", "补领。")
    index._forget()
    shutil.rmtree(search_dir)
    with caplog.at_level(logging.WARNING, logger="cms.search.index"):
        assert keys(index.search("身份证")) == ["id"]
    assert any("building it from the database" in r.getMessage() for r in caplog.records)


def test_corrupt_index_is_rebuilt(make_faq, search_dir, caplog):
    """An unreadable index (garbage in its files) is rebuilt with a warning: never an error."""
    make_faq("id", "身份证丢了怎么办？", "补领。")
    index._forget()
    for path in search_dir.iterdir():
        if path.is_file():
            path.write_bytes(b"\x00garbage" * 10)
    with caplog.at_level(logging.WARNING, logger="cms.search.index"):
        assert keys(index.search("身份证")) == ["id"]
    assert any("rebuilding" in r.getMessage() or "building" in r.getMessage() for r in caplog.records)


def test_reader_sees_commits_of_another_writer(make_faq, search_dir):
    """A searcher that is already open sees a commit made through another index handle (as by
    another worker process) without restarting."""
    from whoosh import index as whoosh_index

    make_faq("id", "身份证丢了怎么办？", "补领。")
    assert keys(index.search("身份证")) == ["id"]
    other = whoosh_index.open_dir(str(search_dir), indexname=index.INDEX_NAME)
    with other.writer() as writer:
        writer.delete_by_term("key", "id")
    assert index.search("身份证") == []


def test_rebuild_counts_by_kind_and_language(make_faq, make_guide):
    """rebuild() returns what it indexed, by kind and language."""
    make_faq("a", "身份证？", "答。")
    make_faq("a", "ID card?", "Answer.", lang="en")
    make_guide("护照", "护照指南。")
    assert index.rebuild() == {("faq", "zh-hans"): 1, ("faq", "en"): 1, ("page", "zh-hans"): 1}


def test_rebuild_command_prints_counts_and_time(make_faq):
    """manage.py rebuild_search_index reports what it indexed and how long it took."""
    from io import StringIO

    from django.core.management import call_command

    make_faq("a", "身份证？", "答。")
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    text = out.getvalue()
    assert "faq   zh-hans       1" in text and "Indexed 1 documents in" in text


def test_builtin_lexicon_is_installed_by_the_migration(db, search_dir):
    """Every bureau has the built-in synonym sets without demo content; seed() and a repeated
    install change nothing; a deleted built-in set comes back, an edited or switched-off one and an
    editor's own set are left as they are."""
    from cms.models import SynonymSet
    from cms.search import demo, lexicon

    assert SynonymSet.objects.exclude(builtin_key="").count() == len(lexicon.BUILTIN_SETS)
    assert demo.seed() == 0
    own = SynonymSet.objects.create(language="zh-hans", terms="甲, 乙")
    edited = SynonymSet.objects.get(builtin_key=lexicon.BUILTIN_SETS[0][0])
    edited.terms += ", 没了"
    edited.enabled = False
    edited.save()
    SynonymSet.objects.filter(builtin_key=lexicon.BUILTIN_SETS[1][0]).delete()
    assert lexicon.install(SynonymSet) == 1
    edited.refresh_from_db()
    assert edited.terms.endswith("没了") and not edited.enabled
    assert SynonymSet.objects.filter(pk=own.pk, builtin_key="").exists()
    assert SynonymSet.objects.count() == len(lexicon.BUILTIN_SETS) + 1


def test_traditional_full_width_pinyin_and_homophone_typos_find_the_faq(make_faq):
    """A query in traditional characters, with full-width letters, typed in pinyin or with a
    homophone typo finds the FAQ written in simplified Chinese; without these complements the
    words alone find nothing."""
    from cms.models import SynonymSet

    SynonymSet.objects.all().delete()  # the words alone: no synonym set helps here
    make_faq("id", "居民身份证有效期满如何换领？", "到派出所换领。")
    make_faq("pp", "普通护照如何申请？", "到出入境窗口申请。")
    make_faq("hk", "户口簿内页损坏怎么办？", "到派出所换发户口簿。")
    for query, key in [
        ("護照申請", "pp"),  # traditional
        ("ｈｕｚｈａｏ", "pp"),  # full-width pinyin
        ("shenfenzheng huanling", "id"),  # pinyin
        ("huzhao", "pp"),
        ("身分证换领", "id"),  # 分 for 份
        ("户口薄损坏", "hk"),  # 薄 for 簿
    ]:
        assert keys(index.search(query))[:1] == [key], query


def test_a_query_typed_in_pinyin_is_ranked_by_its_pinyin_matches(make_faq):
    """When no word of a query is in any document (Chinese typed in pinyin), coverage cannot
    tell the documents apart: the pinyin bigrams rank them. (Coverage used to be 0 for every
    document, every score 0, and the order was the order of indexing.)"""
    from cms.models import SynonymSet

    SynonymSet.objects.all().delete()
    make_faq("hj", "户籍证明如何开具？", "到派出所开具户籍证明。")  # indexed first
    make_faq("cs", "出生医学证明遗失怎么办？", "到医院补发出生医学证明。")
    hits = index.search("chusheng zhengming")
    assert keys(hits)[:2] == ["cs", "hj"]
    assert hits[0].score > hits[1].score > 0


def test_shorten_keeps_the_rarest_known_words(make_faq):
    """An over-long question keeps the words that single out an FAQ and drops those in no
    document or in every document."""
    make_faq("id", "身份证丢了怎么补办？", "到派出所补办身份证。")
    make_faq("pp", "护照丢了怎么补办？", "到出入境窗口补办护照。")
    text = "我想问一下" * 35 + "我的护照在火车上丢了" + "谢谢你们" * 10
    searched = index._shorten(index._searcher(), index.clean_query(text), "zh-hans")
    assert "护照" in searched and "谢谢" not in searched and len(searched) <= index.MAX_QUERY_CHARS
    outcome = index.query(text)
    assert outcome.searched == searched and keys(outcome.hits)[:1] == ["pp"]


def test_thesaurus_synonym_finds_the_faq_and_the_setting_switches_it_off(make_faq, settings):
    """A word the FAQ does not use (单车), no shared character or pinyin syllable, finds the FAQ
    through its synonym in the shipped thesaurus (自行车); with SEARCH_THESAURUS off it does not.
    A thesaurus synonym ranks below the word the citizen typed."""
    from cms.models import SynonymSet
    from cms.search import thesaurus

    SynonymSet.objects.all().delete()  # only the thesaurus can connect the two words
    assert "自行车" in thesaurus.synonyms("单车", "zh-hans")
    make_faq("bike", "自行车在哪里登记？", "到派出所。")
    make_faq("shared", "单车停放有什么规定？", "按标线停放。")
    assert keys(index.search("单车")) == ["shared", "bike"]
    settings.SEARCH_THESAURUS = False
    assert thesaurus.synonyms("单车", "zh-hans") == ()
    assert keys(index.search("单车")) == ["shared"]


def test_a_word_of_the_same_thesaurus_class_finds_the_faq(make_faq, monkeypatch, settings):
    """戒指 (a ring) and 耳环 (earrings) are different synonym groups of one Cilin class (jewellery),
    with no shared character or pinyin syllable: the class relative finds the earrings FAQ, below
    the FAQ with the citizen's own word; without relatives (or the thesaurus), or in the chat's
    search, it does not."""
    from chatbot.engine import answer
    from cms.models import SynonymSet
    from cms.search import querying, thesaurus

    SynonymSet.objects.all().delete()  # only the thesaurus can connect the two words
    assert "耳环" in thesaurus.relatives("戒指", "zh-hans")
    assert "耳环" not in thesaurus.synonyms("戒指", "zh-hans")
    make_faq("ring", "戒指的发票在哪里补开？", "到商场服务台。")
    make_faq("earring", "捡到的耳环交到哪里？", "交到派出所。")
    make_faq("wallet", "捡到的钱包交到哪里？", "交到派出所。")
    assert keys(index.search("戒指")) == ["ring", "earring"]
    assert keys(answer.search("戒指", "zh-hans")) == ["ring"]
    monkeypatch.setattr(querying, "CLASS_WEIGHT", 0.0)
    assert keys(index.search("戒指")) == ["ring"]
    monkeypatch.undo()
    settings.SEARCH_THESAURUS = False
    assert thesaurus.relatives("戒指", "zh-hans") == ()
    assert keys(index.search("戒指")) == ["ring"]


def test_the_chat_searches_without_the_thesaurus(make_faq):
    """The chat's answer decision reads search scores as evidence that an FAQ answers the
    question; the thesaurus's related words stay on the search page and the API only."""
    from chatbot.engine import answer
    from cms.models import SynonymSet

    SynonymSet.objects.all().delete()
    make_faq("bike", "自行车在哪里登记？", "到派出所。")
    make_faq("shared", "单车停放有什么规定？", "按标线停放。")
    assert keys(index.search("单车")) == ["shared", "bike"]
    assert keys(answer.search("单车", "zh-hans")) == ["shared"]
    assert keys(index.search("单车")) == ["shared", "bike"]  # the switch ends with the chat's search


def test_words_common_in_general_chinese_weigh_less_than_the_citizens_topic_word(make_faq, monkeypatch):
    """ "现在", "多少" and "钱" in another FAQ's question must not outrank the one rare word that names
    the service (驾驶证): a typed word's weight falls with its count in the segmenter's general
    dictionary. With the weighting off (floor 1.0), the FAQ with the two common words won."""
    from cms.models import SynonymSet
    from cms.search import querying

    SynonymSet.objects.all().delete()
    make_faq("pp", "现在办护照要多少钱，多少时间？", "到出入境窗口，十五个工作日。")
    make_faq("dl", "驾驶证丢了怎么补？", "到车管所补领。")
    assert querying.general_weight("驾驶证") == 1.0
    assert querying.general_weight("时间") < querying.general_weight("多少") < 1.0
    assert querying.general_weight("time") == 1.0  # English is never weighted this way
    assert keys(index.search("驾驶证现在要多少钱")) == ["dl", "pp"]
    monkeypatch.setattr(querying, "GENERAL_FLOOR", 1.0)
    assert keys(index.search("驾驶证现在要多少钱")) == ["pp", "dl"]
