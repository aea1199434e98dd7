"""Search quality on labelled citizen queries: top-1, recall@3 and MRR for our search and two
baselines (Whoosh with its StandardAnalyzer; Wagtail's own database search backend).

    .venv/bin/python bench/search_quality.py [--queries tests/data/search_queries.jsonl] [-v]

Runs on its own temporary data directory and SQLite database (migrated here, about a minute),
loads cms/demo/faqs.jsonl with the real importer and the starter synonym sets, and rebuilds the
index. Nothing of the developer's own data is touched. See docs/search.md for the figures.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

FAQ_FILE = BASE_DIR / "cms" / "demo" / "faqs.jsonl"
QUERY_FILE = BASE_DIR / "tests" / "data" / "search_queries.jsonl"


def setup_django(data_dir):
    """Point Django at a data directory and its own database, and migrate it (a no-op when an
    earlier run with --data-dir already did)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    os.environ["PORTAL_TEST_DATA_DIR"] = str(data_dir)
    os.environ["PORTAL_TEST_DB_NAME"] = str(Path(data_dir) / "bench.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def load_demo():
    from cms.faq_import import import_faqs
    from cms.search import demo, index

    import_faqs(FAQ_FILE)
    demo.seed()
    index.rebuild()


def load_queries(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def metrics(ranked_keys_per_query, queries):
    """top-1, recall@3 and MRR (over the first 10) for ranked key lists aligned with queries."""
    n = len(queries)
    top1 = sum(1 for keys, q in zip(ranked_keys_per_query, queries, strict=True) if keys[:1] == [q["key"]])
    r3 = sum(1 for keys, q in zip(ranked_keys_per_query, queries, strict=True) if q["key"] in keys[:3])
    mrr = 0.0
    for keys, q in zip(ranked_keys_per_query, queries, strict=True):
        if q["key"] in keys[:10]:
            mrr += 1 / (keys.index(q["key"]) + 1)
    return {"top1": top1 / n, "recall3": r3 / n, "mrr": mrr / n, "n": n}


# --- Systems --------------------------------------------------------------------------------


def ours(queries):
    from cms.search import index

    return [[h.key for h in index.search(q["q"], lang=q["lang"], kind="faq", limit=10)] for q in queries]


def whoosh_standard(queries, tmp):
    """Whoosh with StandardAnalyzer over the same FAQ text, natural-language OR parsing."""
    from whoosh import index as wi
    from whoosh.analysis import StandardAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import MultifieldParser, OrGroup

    from cms.models import FAQ

    schema = Schema(
        key=ID(stored=True),
        lang=ID(stored=True),
        question=TEXT(StandardAnalyzer()),
        paraphrases=TEXT(StandardAnalyzer()),
        answer=TEXT(StandardAnalyzer()),
    )
    path = Path(tmp) / "baseline-index"
    path.mkdir(exist_ok=True)
    ix = wi.create_in(str(path), schema)
    with ix.writer() as w:
        for faq in FAQ.objects.filter(live=True).select_related("locale"):
            w.add_document(
                key=faq.key,
                lang=faq.locale.language_code,
                question=faq.question,
                paraphrases=faq.paraphrases,
                answer=faq.answer_text,
            )
    parser = MultifieldParser(["question", "paraphrases", "answer"], schema, group=OrGroup)
    from whoosh.query import Term

    out = []
    with ix.searcher() as s:
        for q in queries:
            results = s.search(parser.parse(q["q"]), limit=10, filter=Term("lang", q["lang"]))
            out.append([r["key"] for r in results])
    return out


def wagtail_database(queries, chinese_aware=False):
    """Wagtail's database backend (SQLite FTS5 here) searching FAQ, as the admin would without
    (or, with chinese_aware, with) our query segmentation."""
    from django.core.management import call_command
    from modelsearch.backends.database import SearchBackend
    from wagtail.models import Locale

    from cms.models import FAQ
    from cms.search.wagtail_backend import SearchBackend as ChineseBackend

    call_command("update_index", verbosity=0)
    backend = ChineseBackend({}) if chinese_aware else SearchBackend({})
    locales = {loc.language_code: loc for loc in Locale.objects.all()}
    out = []
    for q in queries:
        qs = FAQ.objects.filter(live=True, locale=locales[q["lang"]])
        try:
            found = list(backend.search(q["q"], qs)[:10])
        except Exception:
            found = []
        out.append([f.key for f in found])
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", default=str(QUERY_FILE))
    parser.add_argument("--data-dir", help="reuse this data directory (default: a new temporary one)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the queries our search misses at top-1")
    args = parser.parse_args()

    tmp = args.data_dir or tempfile.mkdtemp(prefix="search-quality-")
    started = time.monotonic()
    setup_django(tmp)
    load_demo()
    print(f"setup (migrate, import, index) {time.monotonic() - started:.1f} s; data in {tmp}")
    queries = load_queries(args.queries)
    by_lang = {lang: [q for q in queries if q["lang"] == lang] for lang in ("zh-hans", "en")}

    rows = []
    t = time.monotonic()
    ranked = ours(queries)
    our_time = time.monotonic() - t
    rows.append(("ours (Whoosh + rjieba, synonyms)", ranked))
    rows.append(("baseline: Whoosh StandardAnalyzer", whoosh_standard(queries, tmp)))
    rows.append(("baseline: Wagtail database backend", wagtail_database(queries)))
    rows.append(("(info) Wagtail db + our query segmentation", wagtail_database(queries, chinese_aware=True)))

    print(f"\n{len(queries)} queries ({len(by_lang['zh-hans'])} zh-hans, {len(by_lang['en'])} en)")
    print(f"{'system':44} {'lang':8} {'top-1':>6} {'R@3':>6} {'MRR':>6}")
    for name, ranked_keys in rows:
        for lang in ("all", "zh-hans", "en"):
            idx = [i for i, q in enumerate(queries) if lang == "all" or q["lang"] == lang]
            m = metrics([ranked_keys[i] for i in idx], [queries[i] for i in idx])
            print(f"{name:44} {lang:8} {m['top1']:6.3f} {m['recall3']:6.3f} {m['mrr']:6.3f}")
    print(f"\nour search: {1000 * our_time / len(queries):.1f} ms per query on average (with snippets)")

    if args.verbose:
        print("\nmisses at top-1 (ours):")
        for q, keys in zip(queries, ranked, strict=True):
            if keys[:1] != [q["key"]]:
                print(f"  [{q['lang']}] {q['q']!r}: expected {q['key']}, got {keys[:3]}")
    return rows


if __name__ == "__main__":
    main()
