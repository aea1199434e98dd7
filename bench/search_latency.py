"""Search speed at 10,000 FAQs: full rebuild time, single-document update time, and query
latency (p50/p95/p99) over 1,000 mixed queries with a warm index, including queries made only of
the most common words (the slow case without bounds).

    .venv/bin/python bench/search_latency.py [--faqs 10000] [--queries 1000] [--data-dir DIR]

Runs on its own temporary data directory and SQLite database (migrated here). The FAQs are
generated from the demo FAQs' sentences (5,000 per language, in 12 districts' variants), so that
vocabulary and document lengths are realistic. See docs/search.md for the figures.
"""

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.search_quality import FAQ_FILE, QUERY_FILE, load_queries, setup_django  # noqa: E402

DISTRICTS = {
    "zh-hans": [
        "东城区",
        "西城区",
        "南湖区",
        "北山区",
        "高新区",
        "滨江区",
        "临港新区",
        "开发区",
        "城南",
        "城北",
        "老城",
    ],
    "en": ["East", "West", "South Lake", "North Hill", "Hi-Tech", "Riverside", "Harbour", "Dev Zone", "Old Town"],
}
COMMON = {
    "zh-hans": ["办理", "派出所", "身份证", "证明", "材料", "需要", "怎么", "本市", "申请", "居民", "窗口", "公安"],
    "en": ["police", "station", "card", "apply", "city", "how", "what", "certificate", "bring", "days", "fee", "id"],
}


def sentences(text, lang):
    parts = re.split(r"(?<=[。；！？])" if lang == "zh-hans" else r"(?<=[.;!?])\s+", text)
    return [p.strip() for p in parts if len(p.strip()) > 4]


def generate(n, rng):
    """Create n published FAQs (half per language) with bulk inserts; returns them by language."""
    from wagtail.models import Locale

    from cms.models import FAQ, FAQCategory
    from portal.sanitize import strip_tags

    demo = [json.loads(line) for line in FAQ_FILE.open(encoding="utf-8")]
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("zh-hans", "en")}
    made = {}
    for lang, locale in locales.items():
        rows = [d for d in demo if d["lang"] == lang]
        pool = [s for d in rows for s in sentences(strip_tags(d["answer"]), lang)]
        paraphrases = [p for d in rows for p in d["paraphrases"]]
        category, _ = FAQCategory.objects.get_or_create(slug="bench", locale=locale, defaults={"name": "bench"})
        batch = []
        for i in range(n // 2):
            base = rows[i % len(rows)]
            district = rng.choice(DISTRICTS[lang])
            question = f"{district}{base['question']}" if lang == "zh-hans" else f"{district}: {base['question']}"
            answer = " ".join(rng.sample(pool, 4))
            batch.append(
                FAQ(
                    key=f"bench-{i}",
                    question=question[:300],
                    paraphrases="\n".join([*base["paraphrases"][:2], *rng.sample(paraphrases, 2)]),
                    answer=f"<p>{answer}</p>",
                    category=category,
                    locale=locale,
                    translation_key=uuid.uuid4(),
                    live=True,
                )
            )
        FAQ.objects.bulk_create(batch, batch_size=500)
        made[lang] = n // 2
    return made


def mixed_queries(n, rng):
    """Citizen queries (the labelled set), plus queries of only the most common words, plus
    maximal-length inputs: a third each, shuffled."""
    labelled = [(q["q"], q["lang"]) for q in load_queries(QUERY_FILE)]
    out = []
    while len(out) < n:
        kind = len(out) % 3
        if kind == 0:
            out.append(rng.choice(labelled))
        elif kind == 1:
            lang = rng.choice(["zh-hans", "en"])
            words = rng.sample(COMMON[lang], rng.randint(3, 8))
            out.append(("".join(words) if lang == "zh-hans" else " ".join(words), lang))
        else:
            lang = rng.choice(["zh-hans", "en"])
            words = [rng.choice(COMMON[lang]) for _ in range(80)]
            out.append((("".join(words) if lang == "zh-hans" else " ".join(words))[:500], lang))
    rng.shuffle(out)
    return out


def pct(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--faqs", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--updates", type=int, default=20)
    parser.add_argument("--data-dir", help="reuse this data directory (default: a new temporary one)")
    parser.add_argument("--no-rebuild", action="store_true", help="reuse the index built by an earlier run")
    args = parser.parse_args()
    rng = random.Random(20261126)

    tmp = args.data_dir or tempfile.mkdtemp(prefix="search-latency-")
    t = time.monotonic()
    setup_django(tmp)
    from cms.models import FAQ
    from cms.search import index

    if not FAQ.objects.exists():
        generate(args.faqs, rng)
    print(f"setup {time.monotonic() - t:.1f} s; {FAQ.objects.filter(live=True).count()} FAQs; data in {tmp}")

    if not args.no_rebuild:
        t = time.perf_counter()
        counts = index.rebuild()
        rebuild_s = time.perf_counter() - t
        print(f"full rebuild: {sum(counts.values())} documents in {rebuild_s:.1f} s ({counts})")

    faqs = list(FAQ.objects.filter(live=True).order_by("?")[: args.updates])
    update_ms = []
    for faq in faqs:
        faq.question = faq.question.rstrip("？?") + ("？" if faq.locale.language_code == "zh-hans" else "?")
        FAQ.objects.filter(pk=faq.pk).update(question=faq.question)
        t = time.perf_counter()
        index.index_object(faq)
        update_ms.append(1000 * (time.perf_counter() - t))
    print(
        f"single-document update ({len(update_ms)}x): median {statistics.median(update_ms):.0f} ms, "
        f"max {max(update_ms):.0f} ms"
    )

    queries = mixed_queries(args.queries, rng)
    import logging

    logging.getLogger("cms.search.index").setLevel(logging.ERROR)  # time-limit warnings are counted below
    for q, lang in queries[:100]:  # warm the searcher, caches and the segmenter
        index.search(q, lang=lang)
    times = {"all": [], "citizen": [], "common words": [], "max length": []}
    timeouts = 0
    for q, lang in queries:
        t = time.perf_counter()
        outcome = index.query(q, lang=lang, limit=10)
        ms = 1000 * (time.perf_counter() - t)
        timeouts += outcome.timed_out
        times["all"].append(ms)
        group = "max length" if len(q) > 60 else ("common words" if (q, lang) not in _LABELLED else "citizen")
        times[group].append(ms)
    print(f"\nquery latency over {len(queries)} queries (ms, with snippets, limit 10):")
    print(f"{'group':14} {'n':>5} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}")
    for group, values in times.items():
        if values:
            print(
                f"{group:14} {len(values):5d} {pct(values, 50):7.1f} {pct(values, 95):7.1f} "
                f"{pct(values, 99):7.1f} {max(values):7.1f}"
            )
    print(f"queries stopped by the time limit: {timeouts}")


_LABELLED = {(q["q"], q["lang"]) for q in load_queries(QUERY_FILE)}

if __name__ == "__main__":
    main()
