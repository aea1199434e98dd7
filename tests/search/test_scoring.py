"""The array scorer (cms.search.scoring) ranks exactly as Whoosh's own matchers would, over an
index with several segments and deleted documents, and the index follows a moved page."""

import pytest
from whoosh.collectors import TopCollector

from cms import factories
from cms.search import index, scoring

from .conftest import keys

QUESTIONS = [
    ("id-lost", "居民身份证遗失后如何补领？", "携带户口簿到派出所补领。", ["身份证丢了怎么办", "身份证找不到了"]),
    ("id-renew", "居民身份证有效期满怎么换领？", "到期前三个月可到派出所换领，工本费20元。", ["身份证过期了"]),
    ("passport", "护照过期了怎么换发？", "到出入境窗口办理，带身份证和旧护照。", ["护照到期"]),
    ("hukou", "户口迁移需要什么材料？", "迁入地派出所办理，带户口簿和身份证。", ["迁户口"]),
    ("hotel", "开旅馆要办特种行业许可证吗？", "需要，到治安大队申请。", ["宾馆许可证"]),
    ("car", "驾驶证丢了怎么补？", "到车管所补领驾驶证。", ["驾照丢了"]),
]
EN = [
    ("passport-en", "How do I renew an expired passport?", "Apply at the exit-entry office with your ID card.", []),
    ("id-en", "I lost my resident ID card. What should I do?", "Report it and apply for a new card at a station.", []),
    ("dog-en", "How do I register my dog?", "Register your dog at the local police station.", []),
]


@pytest.fixture
def segmented(make_faq, commit):
    """FAQs in several commits (so several segments), some edited and one deleted (so segments
    with deleted documents)."""
    made = {}
    for key, question, answer, paraphrases in QUESTIONS:
        made[key] = make_faq(key, question, answer, paraphrases=paraphrases)
    for key, question, answer, paraphrases in EN:
        made[key] = make_faq(key, question, answer, lang="en", paraphrases=paraphrases)
    made["id-renew"].answer = "<p>有效期满前三个月到户籍派出所换领身份证，工本费20元，可邮寄。</p>"
    commit(made["id-renew"].save_revision().publish)
    commit(made["hotel"].delete)
    # Whoosh merges small segments at each commit; re-index two FAQs without merging so that the
    # index has segments with deleted documents, as a large index has after a few edits.
    ix = index._get_index()
    for item in (("faq", made["passport"].pk), ("faq", made["dog-en"].pk)):
        writer = ix.writer()
        for _doc_id, doc in index._docs_for([item]):
            writer.update_document(**doc)
        writer.commit(merge=False)
    return made


def whoosh_scores(searcher, q):
    """{docnum: score} of every document Whoosh's matchers find for `q`."""
    collector = TopCollector(limit=10_000)
    searcher.search_with_collector(q, collector)
    return {hit.docnum: hit.score for hit in collector.results()}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("身份证丢了怎么办", "zh-hans"),
        ("身份证过期换领要多少钱", "zh-hans"),
        ("驾照丢了", "zh-hans"),
        ("护照 身份证 派出所", "zh-hans"),
        ("丢", "zh-hans"),
        ("lost my id card", "en"),
        ("renew passport", "en"),
        ("dog registration at the station", "en"),
    ],
)
def test_array_scores_equal_whoosh_scores(segmented, text, lang):
    searcher = index._searcher()
    assert len(searcher.leaf_searchers()) > 1, "the fixture should leave several segments"
    assert searcher.reader().has_deletions()
    concepts, _correction = index._concepts(searcher, text, lang)
    q = index._build({lang: concepts})
    expected = whoosh_scores(searcher, q)
    assert expected, "the query should match something"
    scores, matches, timed_out = scoring.evaluate(scoring.scorer_for(searcher), q)
    assert not timed_out
    found = {int(d) for d in matches.nonzero()[0]}
    assert found == set(expected)
    for docnum, score in expected.items():
        assert scores[docnum] == pytest.approx(score, rel=1e-5)


def test_deleted_and_replaced_documents_are_not_returned(segmented):
    """The edited FAQ is found once (its old version is deleted in its segment), the deleted FAQ
    never."""
    hits = index.search("身份证 换领", lang="zh-hans")
    assert keys(hits).count("id-renew") == 1
    assert "邮寄" in " ".join(h.snippet for h in hits if h.key == "id-renew")
    assert "hotel" not in keys(index.search("旅馆 许可证", lang="zh-hans"))


def test_query_time_limit_returns_what_was_scored(segmented):
    """A deadline already past stops scoring at once: the query answers (empty), it does not hang."""
    searcher = index._searcher()
    concepts, _ = index._concepts(searcher, "身份证丢了怎么办", "zh-hans")
    q = index._build({"zh-hans": concepts})
    scores, matches, timed_out = scoring.evaluate(scoring.scorer_for(searcher), q, deadline=0)
    assert timed_out and not matches.any()


def test_moved_page_is_found_at_its_new_url(site, make_guide, commit):
    """An editor moves a guide under another section: search links to the new address at once."""
    from cms.models import ServiceGuideIndexPage

    guide = make_guide("居住证申领", "外来人员申领居住证的办理指南。", slug="residence")
    other = commit(factories.add_page, site["home"], ServiceGuideIndexPage(title="出入境", slug="exit-entry"))
    assert index.search("居住证")[0].url.endswith("/guides/residence/")
    commit(guide.move, other, pos="last-child")
    hits = index.search("居住证")
    assert [h.key for h in hits] == [str(guide.pk)]
    assert hits[0].url.endswith("/exit-entry/residence/")


def test_each_documents_vectors_are_its_own_across_segments(segmented):
    """The re-ranking by meaning reads a candidate's vectors through the segment cache
    (scoring.document_value): with several segments and deleted documents, every live document
    gets its own vectors, not a neighbour's."""
    from cms.search import semantic

    searcher = index._searcher()
    assert len(list(searcher.leaf_searchers())) > 1
    scorer = scoring.scorer_for(searcher)
    live = [n for n in range(searcher.doc_count_all()) if scorer.live[n]]
    for docnum in live + live:  # the second pass reads the cache
        stored = searcher.stored_fields(docnum)
        rows = scoring.document_value(scorer, docnum, "sem", semantic._rows)
        expected = semantic.embed([stored["title"]])[0]
        assert float(rows[1] @ expected) > 0.999, stored["key"]
