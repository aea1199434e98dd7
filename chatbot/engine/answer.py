"""Answering from published content: the shared search index, a confidence measure, and the
live FAQ it came from.

The confidence (0..1) is the probability that the top hit answers the question:
`measures` describes how well the hits fit the question and chatbot.engine.decision turns that
into a probability with a model fitted on labelled questions (docs/chatbot.md, "The answer
decision"; bench/chat_answers.py prints the figures).
"""

import logging
import math
import re

from . import decision
from .text import bare

logger = logging.getLogger(__name__)

MARGIN_FLOOR = 5.0  # the competitor counts as at least this: a lone weak hit has no margin
OTHER_KIND_WEIGHT = 0.5  # a page competing with a top FAQ (or an FAQ with a top page) counts half
MAX_ANSWER_CHARS = 420  # FAQ answers are shortened (at a sentence end) with a link to the rest

_EN_STOP = set(
    "a an the i me my we our you your he she it they them is are was were be been am do does did doing have has had "
    "can could should would will shall may might must to of in on at for from by with about as into and or but if "
    "so not no what how where when why which who whom this that these those there here please get got need want "
    "tell know let any some just like thanks hello hi "
    # when and where the citizen is: no FAQ hinges on them
    "today tomorrow yesterday now already someone somebody".split()
)
_ZH_STOP = set(
    (
        "的 了 吗 呢 吧 啊 呀 我 你 您 他 她 是 在 有 和 要 想 能 会 可以 "
        "怎么 如何 什么 哪里 哪儿 请问 一下 怎样 办 去 到 给 把 被 也 都 还 就 个 "
        # question and modal words ("怎么办" is one word for jieba)
        "怎么办 咋办 怎么样 咋 啥 能不能 需要 要不要 可不可以 应该 哪些 多少 "
        # when and where the citizen is
        "今天 明天 昨天 后天 前天 今年 明年 去年 刚 刚才 刚刚 现在 马上 已经 这边 那边 这里 那里 这儿 那儿 "
        "我家 我们 自己 别人"
    ).split()
)


def _fold(text):
    """The text as the search reads it: NFKC and traditional characters as simplified ("護照辦理"
    meets "护照"), letters and digits only."""
    from cms.search import analysis

    return bare(analysis.fold(text or ""))


def _words(text, lang):
    """Content words of a text (the search's own segmenter and police dictionary for Chinese,
    cms.search.analysis.cut; simple words for English)."""
    text = _fold(text)
    if lang == "zh-hans" or re.search(r"[\u4e00-\u9fff]", text):
        from cms.search import analysis

        # Precise mode, not search mode: "出租车" is one word of the question, not three
        # ("出租", "租车", "出租车") that would all be missed, or all found, together.
        words = [w.strip() for w in analysis.cut(text) if w.strip()]
        return {w for w in words if w not in _ZH_STOP and not (len(w) == 1 and not w.isalnum())}
    return {w for w in text.split() if w not in _EN_STOP and len(w) > 1}


def _stem(word):
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _alternatives(query, words, lang):
    """For each content word, the words that count as finding it: itself and the members of the
    editors' synonym sets the query uses (a set applies to the words inside its matched term:
    "掉了" → 掉; "id card" → id, card)."""
    alternatives = {word: {word} for word in words}
    try:
        from cms.search import synonyms

        used = synonyms.matches(_fold(query), lang)
    except Exception:  # synonym trouble must not break the conversation
        logger.exception("chat: synonym sets unavailable")
        used = []
    for terms, matched in used:
        for word in words:
            if any(word in term or term in word for term in matched):
                alternatives[word].update(_fold(term) for term in terms)
    return alternatives


def _pinyin_haystack(haystack):
    """The Chinese of a text as toneless pinyin, each run of characters as one string ("居住证" →
    "juzhuzheng"), runs separated: where a question typed in pinyin finds its words."""
    from cms.search import analysis

    return "|".join("".join(run) for run in analysis.pinyin_syllables(haystack, latin=False))


def _as_pinyin(word):
    """Whether a Latin word of a Chinese question reads as pinyin ("juzhuzheng", "hukou")."""
    from cms.search import analysis

    return word.isascii() and word.isalpha() and len(word) >= 2 and bool(analysis.split_pinyin(word))


def reads_as_pinyin(text):
    """Whether a message without Chinese characters has a word that reads as pinyin (two letters
    or more, not an English function word): "diandongche shangpai", "baoan zheng"."""
    return any(_as_pinyin(word) for word in _fold(text).split() if word not in _EN_STOP)


def _covered(alternatives, hit_text, lang, weights=None):
    """Share of the words found in hit_text; with `weights` ({word: weight}) a weighted share. A
    Latin word of a Chinese question is also found in the pinyin of the hit's Chinese."""
    if not alternatives:
        return 0.0
    haystack = _fold(hit_text)
    pinyin = None
    found = total = 0.0
    for word, alts in alternatives.items():
        weight = weights[word] if weights else 1.0
        total += weight
        if any(alt in haystack for alt in alts) or (lang == "en" and _stem(word) in haystack):
            found += weight
        elif lang == "zh-hans" and _as_pinyin(word):
            if pinyin is None:
                pinyin = _pinyin_haystack(haystack)
            if word in pinyin:
                found += weight
        elif lang == "zh-hans" and len(word) >= 2 and any(word[i : i + 2] in haystack for i in range(len(word) - 1)):
            found += 0.5 * weight
    return found / total if total else 0.0


def _rarity(words, lang):
    """{word: weight}: how telling each word is, log(1 + N / (1 + df)) over the published content
    (a word no document has weighs most: "银行卡" when only ID cards are published)."""
    from cms.search import index as search_index

    try:
        total, frequencies = search_index.document_frequencies(words, lang)
    except Exception:  # the decision then weighs every word alike
        logger.exception("chat: document frequencies unavailable")
        return None
    return {word: math.log1p(total / (1 + frequencies.get(word, 0))) for word in words}


def coverage(query, hit_text, lang):
    """Share of the query's content words present in hit_text (substring, stem-insensitive, a
    synonym of the word counting as the word; a Chinese word with only two characters of it
    found counts half)."""
    words = _words(query, lang)
    return _covered(_alternatives(query, words, lang), hit_text, lang)


def _hit_text(hit, hit_texts):
    """What a hit says it is about: an FAQ's question and phrasings; a page's title. (The
    snippet is cut around the query's words, so it would make every hit cover the query.)"""
    text = (hit_texts or {}).get(_hit_id(hit))
    if text:
        return text
    return hit.title if hit.kind == "page" else f"{hit.title} {hit.snippet}"


def measures(query, hits, lang, hit_texts=None):
    """The decision's measures of how well the top hit fits the query (decision.FEATURES), or
    None without a positive hit."""
    if not hits or hits[0].score <= 0:
        return None
    top = hits[0].score
    words = _words(query, lang)
    alternatives = _alternatives(query, words, lang)
    covers = [_covered(alternatives, _hit_text(hit, hit_texts), lang) for hit in hits]
    competitor = 0.0
    for hit, cover in zip(hits[1:], covers[1:], strict=True):
        weight = min(1.0, cover / covers[0]) if covers[0] > 0 else 1.0
        if hit.kind != hits[0].kind:
            weight *= OTHER_KIND_WEIGHT
        competitor = max(competitor, hit.score * weight)
    margin = max(0.0, 1.0 - max(competitor, MARGIN_FLOOR) / top)
    # Words of the question that no hit has anywhere (its question, phrasings, title or the
    # snippet cut around the query's words): "银行卡" in "银行卡丢了怎么挂失" when only ID cards
    # are published. What the content does not know of marks a question it cannot answer.
    everything = " ".join(f"{_hit_text(hit, hit_texts)} {hit.title} {hit.snippet}" for hit in hits)
    rarity = _rarity(words, lang)
    unmatched = 1.0 - _covered(alternatives, everything, lang, rarity) if alternatives else 0.0
    rare_covers = [_covered(alternatives, _hit_text(hit, hit_texts), lang, rarity) for hit in hits]
    return decision.features(
        covers,
        [h.score for h in hits],
        [h.kind for h in hits],
        margin,
        len(words),
        unmatched,
        rare_covers,
        similarities(query, hits, hit_texts),
    )


def similarities(query, hits, hit_texts=None):
    """The question's meaning against each hit's: the best cosine (cms.search.semantic's static
    embedding model) between the question and the hit's question or one of its phrasings (a
    page: its title). Word overlap cannot tell "how do I get rid of my account" from a question
    about account settings; the meaning can, and it does not grow with the question's length as
    the search scores do. Zeros when the model is unavailable (the decision then reads words only)."""
    from cms.search import analysis, semantic

    sides = []
    for hit in hits:
        text = (hit_texts or {}).get(_hit_id(hit)) if hit.kind == "faq" else None
        side = [t for t in (text or hit.title or "").split("\n") if t.strip()]
        sides.append(side[: 1 + semantic.MAX_QUESTION_SIDE] or [""])
    try:
        vectors = semantic.embed_kept([analysis.fold(query or ""), *[t for side in sides for t in side]])
    except Exception:  # the model's trouble must not break the conversation
        logger.exception("chat: embedding model unavailable")
        return [0.0] * len(hits)
    out, start = [], 1
    for side in sides:
        out.append(max(0.0, float((vectors[start : start + len(side)] @ vectors[0]).max())))
        start += len(side)
    return out


def confidence(query, hits, lang, hit_texts=None):
    """0..1: the probability that the top hit answers the query (see chatbot.engine.decision)."""
    values = measures(query, hits, lang, hit_texts)
    return 0.0 if values is None else round(decision.probability(values), 3)


def _hit_id(hit):
    return f"{hit.kind}:{hit.key}"


def live_faq(hit_or_key, lang):
    """The published FAQ behind a hit (or a key) in `lang`, or None if it is gone or a draft."""
    from cms.models import FAQ

    key = getattr(hit_or_key, "key", hit_or_key)
    object_id = getattr(hit_or_key, "object_id", None)
    qs = FAQ.objects.filter(live=True).select_related("locale")
    if object_id:
        faq = qs.filter(pk=object_id).first()
        if faq is not None:
            return faq
    return qs.filter(key=key, locale__language_code=lang).first()


def faq_texts(hits):
    """Question + phrasings of the live FAQs among hits, for coverage (one query)."""
    from cms.models import FAQ

    ids = [h.object_id for h in hits if h.kind == "faq" and h.object_id]
    texts = {}
    for faq in FAQ.objects.filter(pk__in=ids, live=True):
        # One line each: coverage reads them as one text, the similarity phrasing by phrasing.
        texts[f"faq:{faq.key}"] = "\n".join([faq.question, *faq.paraphrase_list])
    return texts


def live_page_keys(hits):
    """Keys of the page hits whose page is live, public and (for notices) unexpired right now."""
    from wagtail.models import Page

    ids = [h.object_id for h in hits if h.kind == "page" and h.object_id]
    if not ids:
        return set()
    keys = set()
    for page in Page.objects.live().public().filter(pk__in=ids).specific():
        if getattr(page, "is_expired", False) is True:
            continue
        keys.add(str(page.pk))
    return keys


def search(query, lang, limit=5, *, with_thesaurus=False):
    """Hits from the shared index (published, unexpired, public only), best first.

    For the answer decision (the default) without the general thesaurus: its related words raise
    the scores of FAQs about something else, and the decision reads those scores as evidence for
    a direct answer (on the test site 7 of 87 out-of-scope questions were answered with it, 6
    without; docs/chatbot.md) and without the re-ranking by meaning (cms/search/semantic.py): its
    measures read word scores, and meaning enters as a measure of its own (`meaning_lead`,
    `similarities`; ordering the decision's hits by meaning measured worse, docs/chatbot.md). For
    "did you mean" (`with_thesaurus`) the search as the search page runs it: the ranking that is
    measured and tuned for "the right FAQ in the top three" ("单位要买氰化钠" finds the
    hazardous-chemicals FAQ only through the thesaurus)."""
    from cms.search import index as search_index
    from cms.search import semantic, thesaurus

    try:
        if with_thesaurus:
            return search_index.search(query, lang=lang, limit=limit)
        with thesaurus.left_out(), semantic.left_out():
            return search_index.search(query, lang=lang, limit=limit)
    except Exception:  # search trouble must not break the conversation
        logger.exception("chat: search failed")
        return []


def shorten(text, limit=MAX_ANSWER_CHARS):
    """Plain text cut at a sentence end near `limit`; (text, shortened?)."""
    text = re.sub(r"\n{3,}", "\n\n", (text or "").strip())
    if len(text) <= limit:
        return text, False
    cut = text[:limit]
    ends = [cut.rfind(mark) for mark in ("。", "！", "？", ". ", "! ", "? ", "；", "\n")]
    end = max(ends)
    if end >= limit * 0.5:
        cut = cut[: end + 1]
    return cut.rstrip() + "…", True


def faq_source(faq):
    return {"key": faq.key, "title": faq.question, "url": faq.get_url() or ""}


def hit_source(hit):
    return {"key": hit.key, "title": hit.title, "url": hit.url}


def privacy_url(lang):
    return f"/{lang}/privacy/"
