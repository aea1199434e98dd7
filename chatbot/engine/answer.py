"""Answering from published content: the shared search index, a confidence measure, and the
live FAQ it came from.

Confidence (0..1) combines three signals of the top hit, because raw BM25 scores are not
comparable across queries (they grow with query length and term rarity):
- margin: how far the top hit is ahead of the second (1 - second/top); a clear winner is likely
  the intended FAQ, two close hits mean "did you mean…";
- coverage: the share of the query's content words found in the top hit's question, alternate
  phrasings, title or snippet;
- strength: the top score against a scale (very low scores come from a single common word).
Thresholds ANSWER and CLARIFY were calibrated on the search team's labelled citizen queries
(tests/data/search_queries.jsonl) against the demo FAQs, and on out-of-scope questions; see
docs/chatbot.md ("Thresholds") and `calibrate()` below, which prints the figures.
"""

import logging
import re

from django.conf import settings

from .text import bare

logger = logging.getLogger(__name__)

ANSWER = 0.72  # at or above: answer with the top FAQ / page
CLARIFY = 0.25  # at or above (and below ANSWER): "did you mean" with up to 3 choices
COVERAGE_WEIGHT = 0.5
MARGIN_WEIGHT = 0.4
STRENGTH_WEIGHT = 0.1
MARGIN_FLOOR = 5.0  # the second score counts as at least this: a lone weak hit has no margin
STRENGTH_SCALE = 40.0  # a top score at or above this counts as fully strong
MAX_ANSWER_CHARS = 420  # FAQ answers are shortened (at a sentence end) with a link to the rest

_EN_STOP = set(
    "a an the i me my we our you your he she it they them is are was were be been am do does did doing have has had "
    "can could should would will shall may might must to of in on at for from by with about as into and or but if "
    "so not no what how where when why which who whom this that these those there here please get got need want "
    "tell know let any some just like thanks hello hi".split()
)
_ZH_STOP = set(
    (
        "的 了 吗 呢 吧 啊 呀 我 你 您 他 她 是 在 有 和 要 想 能 会 可以 "
        "怎么 如何 什么 哪里 哪儿 请问 一下 怎样 办 去 到 给 把 被 也 都 还 就 个"
    ).split()
)


def _words(text, lang):
    """Content words of a text (jieba for Chinese, simple words for English)."""
    text = bare(text)
    if lang == "zh-hans" or re.search(r"[\u4e00-\u9fff]", text):
        import jieba

        words = [w.strip() for w in jieba.cut_for_search(text) if w.strip()]
        return {w for w in words if w not in _ZH_STOP and not (len(w) == 1 and not w.isalnum())}
    return {w for w in text.split() if w not in _EN_STOP and len(w) > 1}


def _stem(word):
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def coverage(query, hit_text, lang):
    """Share of the query's content words present in hit_text (substring, stem-insensitive)."""
    words = _words(query, lang)
    if not words:
        return 0.0
    haystack = bare(hit_text)
    found = 0
    for word in words:
        if word in haystack or (lang == "en" and _stem(word) in haystack):
            found += 1
        elif lang == "zh-hans" and len(word) >= 2 and any(word[i : i + 2] in haystack for i in range(len(word) - 1)):
            found += 0.5
    return found / len(words)


def confidence(query, hits, lang, hit_texts=None):
    """0..1: how sure the top hit answers the query (see the module docstring)."""
    if not hits:
        return 0.0
    top = hits[0].score
    if top <= 0:
        return 0.0
    second = max(hits[1].score if len(hits) > 1 else 0.0, MARGIN_FLOOR)
    margin = max(0.0, 1.0 - second / top)
    text = (hit_texts or {}).get(_hit_id(hits[0])) or f"{hits[0].title} {hits[0].snippet}"
    cover = coverage(query, text, lang)
    strength = min(1.0, top / STRENGTH_SCALE)
    return round(COVERAGE_WEIGHT * cover + MARGIN_WEIGHT * margin + STRENGTH_WEIGHT * strength, 3)


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
        texts[f"faq:{faq.key}"] = " ".join([faq.question, *faq.paraphrase_list])
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


def search(query, lang, limit=5):
    """Hits from the shared index (published, unexpired, public only), best first."""
    from cms.search import index as search_index

    try:
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


def calibrate(path=None, stdout=None):  # pragma: no cover - a measuring tool, run by hand
    """Print confidence figures over the labelled queries: share answered correctly, answered
    wrongly, clarified (with the right FAQ among the choices), and unknown. Needs the demo FAQs
    imported and the index built (a test database or the dev database)."""
    import json
    from pathlib import Path

    path = Path(path or Path(settings.BASE_DIR) / "tests" / "data" / "search_queries.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for row in rows:
        hits = search(row["q"], row["lang"])
        conf = confidence(row["q"], hits, row["lang"], faq_texts(hits))
        top = hits[0].key if hits else None
        out.append((conf, top == row.get("key"), row.get("key") in [h.key for h in hits[:3]], row))
    return out
