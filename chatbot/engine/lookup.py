"""What the published content says about a question, kept per process until the content
changes.

Answering a question from content takes a search, the live check of its hits against the
database (FAQs and pages), the confidence, and for the top FAQ its answer and link: a search and
four or five database queries. Citizens ask the same questions over and over ("身份证丢了怎么办"),
so the result is kept per (question as typed, language) for as long as the content is unchanged:
`cms.search.index.content_version()` changes with every commit to the index by any process
(publish, unpublish, edit, delete, move), every edit of the synonym sets, and at once with a
content change made in this process (before the index hears of it). A notice that expires or a
page whose visibility changes without any of those is caught by the age limit (MAX_AGE).

Only what is the same for every citizen is kept; the conversation's state never is.
"""

import logging
import time
import unicodedata
from dataclasses import dataclass

from portal.versioned_cache import VersionedCache

from . import answer, decision

logger = logging.getLogger(__name__)

MAX_AGE = 60.0  # seconds an entry is trusted without a content change
MAX_ENTRIES = 2000
OFFERS = 3  # "did you mean" offers the top three
RRF_K = 60  # reciprocal rank fusion's usual constant (Cormack et al. 2009)


@dataclass(frozen=True)
class FAQAnswer:
    """The published FAQ behind a hit, as the chat shows it (a plain copy, safe to share)."""

    key: str
    question: str
    answer_text: str
    url: str

    def get_url(self):
        return self.url


@dataclass(frozen=True)
class Found:
    hits: tuple  # live hits, best first
    texts: dict  # "faq:<key>" → question and phrasings
    confidence: float  # the probability that the top hit answers the question (decision)
    top_faq: FAQAnswer | None  # the top hit's FAQ, when the top hit is a live FAQ
    features: tuple | None = None  # the decision's measures (decision.FEATURES), None without hits


def _content_version():
    from cms.search.index import content_version

    try:
        return content_version()
    except Exception:  # no index yet: a value equal to nothing, so nothing kept is used
        return object()


# portal.versioned_cache (docs/caching.md): per process, under the content version.
_answers = VersionedCache("chat-answers", token=_content_version, max_age=lambda: MAX_AGE, max_entries=MAX_ENTRIES)
stats = _answers.stats


def _key(text, lang):
    return (" ".join(unicodedata.normalize("NFKC", text).split()), lang)


def find(text, lang):
    """The live hits for a question, the confidence of the best one, and its FAQ."""
    return _answers.get(_key(text, lang), lambda: _compute(text, lang))


@dataclass(frozen=True)
class Offers:
    hits: tuple  # at most OFFERS live hits, best first
    relevant: bool  # whether they have anything of the question (decision.relevant on their measures)


def offers(text, lang):
    """What "did you mean" would offer (at most OFFERS live hits), kept like `find`: the
    decision's ranking (without the general thesaurus, see answer.search) fused with the search
    page's (with it: "单位要买氰化钠" finds the hazardous-chemicals FAQ, "两车碰了 能私了吗" the
    accident FAQ only through the thesaurus) by reciprocal rank fusion, and whether they are
    relevant. Asked for only when the chat does not answer directly, so an answered question
    costs no second search."""
    return _answers.get(("offers", *_key(text, lang)), lambda: _offers(text, lang))


def _offers(text, lang):
    found = find(text, lang)
    with_thesaurus, texts = _live(answer.search(text, lang, with_thesaurus=True))
    hits = tuple(fuse(list(found.hits), with_thesaurus)[:OFFERS])
    relevant = decision.relevant(found.features) or decision.relevant(
        answer.measures(text, list(hits), lang, {**texts, **found.texts})
    )
    return Offers(hits=hits, relevant=relevant)


def fuse(*rankings, k=RRF_K):
    """Reciprocal rank fusion: hits ranked by the sum of 1 / (k + rank) over the rankings (the
    same FAQ or page counted once); ties go to the earlier ranking's order."""
    scores, first = {}, {}
    for ranking in rankings:
        for rank, hit in enumerate(ranking, start=1):
            key = (hit.kind, hit.key)
            scores[key] = scores.get(key, 0.0) + 1.0 / (k + rank)
            first.setdefault(key, (len(first), hit))
    order = sorted(scores, key=lambda key: (-scores[key], first[key][0]))
    return [first[key][1] for key in order]


def _live(hits):
    """The hits whose FAQ or page is live right now, and the question and phrasings of those
    FAQs. The index guarantees it, but an FAQ or page unpublished a moment ago (or a notice that
    expired since) may still be in a reader's view; such hits are dropped before judging."""
    texts = answer.faq_texts(hits)
    pages = answer.live_page_keys(hits)
    return [h for h in hits if (f"faq:{h.key}" in texts if h.kind == "faq" else h.key in pages)], texts


def _compute(text, lang):
    hits, texts = _live(answer.search(text, lang))
    values = answer.measures(text, hits, lang, texts)
    conf = 0.0 if values is None else round(decision.probability(values), 3)
    top_faq = None
    if hits and hits[0].kind == "faq":
        faq = answer.live_faq(hits[0], lang)
        if faq is not None:
            url = faq.get_url() or ""
            top_faq = FAQAnswer(key=faq.key, question=faq.question, answer_text=faq.answer_text, url=url)
    return Found(hits=tuple(hits), texts=texts, confidence=conf, top_faq=top_faq, features=values)


def clear():
    _answers.clear()


def warm_up():
    """Load what the first question would otherwise wait for (the search index and its
    segmenter and its dictionary, the emergency model: a few seconds of CPU), so that the first
    citizens after a start are not kept waiting behind it. Run by the server at start-up in the
    background (portal.asgi); failures only mean a slower first answer."""
    started = time.monotonic()
    try:
        from chatbot import emergency

        emergency.warm_up()  # the emergency model, read before the first message needs it
        from cms.search import index as search_index

        for text, lang in (("身份证丢了怎么办", "zh-hans"), ("how do I renew my passport", "en")):
            answer.confidence(text, answer.search(text, lang), lang)
        search_index.search("身份证丢了怎么办", lang="zh-hans", limit=1)  # the search page's thesaurus
        search_index.search("lost wallet", lang="en", limit=1)  # and the English one (WordNet)
    except Exception:  # never stop the server for this
        logger.warning("chat: warming up failed", exc_info=True)
        return
    logger.info("chat: warmed up in %.1f s", time.monotonic() - started)
