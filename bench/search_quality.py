"""Search quality per evaluation set: top-1, recall@3 and MRR of our search next to plain BM25
and Whoosh's StandardAnalyzer, measured in the same run, zh-hans and en separately.

    .venv/bin/python bench/search_quality.py                 # every set (a couple of minutes)
    .venv/bin/python bench/search_quality.py --set ../shared/eval/police-dev -v

Default sets: every directory under ../shared/eval/ with faqs.jsonl and queries.jsonl
(police-dev, stackfaq), then our own tests/data/search_queries.jsonl over the demo FAQs
(cms/demo/faqs.jsonl). `--set DIR` (repeatable) runs only those directories; `--set ours` is our
own set.

Each set is imported the way a bureau would: into an empty FAQ table, with the real importer
(cms.faq_import), the built-in lexicon the migrations install and nothing else (no demo
content), then the index is rebuilt. It runs on its own temporary data directory and SQLite
database (migrated once, about a minute; `--data-dir DIR` reuses one). Nothing of the
developer's own data is touched. Only in-scope queries (a `key` that is not null) are scored.

Baselines, built here from the same FAQs:
- plain BM25 (k1 1.2, b 0.75) over question + paraphrases + answer, tokens: Han character
  bigrams (a lone Han character as itself) and lower-case alphanumeric words, each query
  searching the FAQs of its own language (as the police-dev README describes);
- Whoosh with StandardAnalyzer over question, paraphrases and answer, OR parser.
"""

import argparse
import json
import math
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

EVAL_DIR = BASE_DIR.parent / "shared" / "eval"
OWN_FAQS = BASE_DIR / "cms" / "demo" / "faqs.jsonl"
OWN_QUERIES = BASE_DIR / "tests" / "data" / "search_queries.jsonl"
LANGS = ("zh-hans", "en")
FAQ_FILE, QUERY_FILE = OWN_FAQS, OWN_QUERIES  # (bench/search_latency.py builds on our own set)


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


def default_sets():
    sets = []
    if EVAL_DIR.is_dir():
        for d in sorted(EVAL_DIR.iterdir()):
            if (d / "faqs.jsonl").is_file() and (d / "queries.jsonl").is_file():
                sets.append((d.name, d / "faqs.jsonl", d / "queries.jsonl"))
    sets.append(("ours (tests/data)", OWN_FAQS, OWN_QUERIES))
    return sets


def resolve_set(arg):
    if arg == "ours":
        return ("ours (tests/data)", OWN_FAQS, OWN_QUERIES)
    d = Path(arg)
    return (d.name, d / "faqs.jsonl", d / "queries.jsonl")


def load_jsonl(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_queries(path):
    """In-scope queries as {"q", "lang", "key"} (our set writes "q", the shared sets "query")."""
    out = []
    for row in load_jsonl(path):
        if row.get("key"):
            out.append({"q": row.get("q") or row.get("query"), "lang": row["lang"], "key": row["key"]})
    return out


def import_set(faq_file):
    """Empty the FAQ tables and import `faq_file` with the real importer, then rebuild."""
    from cms.faq_import import import_faqs
    from cms.models import FAQ, FAQCategory
    from cms.search import index

    FAQ.objects.all().delete()
    FAQCategory.objects.all().delete()
    import_faqs(faq_file)
    index.rebuild()


def metrics(ranked_keys_per_query, queries):
    """top-1, recall@3 and MRR (over the first 10) for ranked key lists aligned with queries."""
    n = len(queries) or 1
    top1 = r3 = 0
    mrr = 0.0
    for keys, q in zip(ranked_keys_per_query, queries, strict=True):
        top1 += keys[:1] == [q["key"]]
        r3 += q["key"] in keys[:3]
        if q["key"] in keys[:10]:
            mrr += 1 / (keys.index(q["key"]) + 1)
    return {"top1": top1 / n, "recall3": r3 / n, "mrr": mrr / n, "n": len(queries)}


# --- Systems --------------------------------------------------------------------------------


def ours(queries):
    from cms.search import index

    return [[h.key for h in index.search(q["q"], lang=q["lang"], kind="faq", limit=10)] for q in queries]


def ours_words_only(queries):
    """Ours without the re-ranking by meaning (cms/search/semantic.py), to show what it adds."""
    from cms.search import semantic

    with semantic.left_out():
        return ours(queries)


def _faq_rows():
    from cms.models import FAQ

    return [
        (faq.key, faq.locale.language_code, faq.question, faq.paraphrase_list, faq.answer_text)
        for faq in FAQ.objects.filter(live=True).select_related("locale").order_by("pk")
    ]


HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[a-z0-9]+")


def bm25_tokens(text):
    """Han character bigrams (a lone character as itself) and lower-case alphanumeric words."""
    text = text.lower()
    out = WORD.findall(text)
    for run in HAN_RUN.findall(text):
        out += [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
    return out


def plain_bm25(queries, k1=1.2, b=0.75):
    """Plain BM25 over question + paraphrases + answer, per language."""
    docs = {lang: [] for lang in LANGS}
    for key, lang, question, paraphrases, answer in _faq_rows():
        docs[lang].append((key, Counter(bm25_tokens(" ".join([question, *paraphrases, answer])))))
    stats = {}
    for lang, rows in docs.items():
        n = len(rows)
        df = Counter(t for _k, tf in rows for t in tf)
        avg = sum(sum(tf.values()) for _k, tf in rows) / max(n, 1)
        stats[lang] = (n, df, avg)
    out = []
    for q in queries:
        n, df, avg = stats[q["lang"]]
        terms = set(bm25_tokens(q["q"]))
        scored = []
        for key, tf in docs[q["lang"]]:
            length = sum(tf.values())
            s = 0.0
            for t in terms:
                f = tf.get(t)
                if f:
                    idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                    s += idf * f * (k1 + 1) / (f + k1 * (1 - b + b * length / avg))
            if s > 0:
                scored.append((-s, key))
        out.append([k for _s, k in sorted(scored)[:10]])
    return out


def whoosh_standard(queries, tmp):
    """Whoosh with StandardAnalyzer over the same FAQ text, natural-language OR parsing."""
    from whoosh import index as wi
    from whoosh.analysis import StandardAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import MultifieldParser, OrGroup
    from whoosh.query import Term

    schema = Schema(
        key=ID(stored=True),
        lang=ID(stored=True),
        question=TEXT(StandardAnalyzer()),
        paraphrases=TEXT(StandardAnalyzer()),
        answer=TEXT(StandardAnalyzer()),
    )
    path = Path(tmp) / f"baseline-index-{time.monotonic_ns()}"
    path.mkdir()
    ix = wi.create_in(str(path), schema)
    with ix.writer() as w:
        for key, lang, question, paraphrases, answer in _faq_rows():
            w.add_document(key=key, lang=lang, question=question, paraphrases="\n".join(paraphrases), answer=answer)
    parser = MultifieldParser(["question", "paraphrases", "answer"], schema, group=OrGroup)
    out = []
    with ix.searcher() as s:
        for q in queries:
            results = s.search(parser.parse(q["q"]), limit=10, filter=Term("lang", q["lang"]))
            out.append([r["key"] for r in results])
    return out


def run_set(name, faq_file, query_file, tmp, verbose):
    started = time.monotonic()
    import_set(faq_file)
    queries = load_queries(query_file)
    setup = time.monotonic() - started
    t = time.monotonic()
    ranked = ours(queries)
    per_query = 1000 * (time.monotonic() - t) / max(len(queries), 1)
    rows = [
        ("ours", ranked),
        ("ours, words only", ours_words_only(queries)),
        ("plain BM25 (q+para+answer)", plain_bm25(queries)),
        ("Whoosh StandardAnalyzer", whoosh_standard(queries, tmp)),
    ]
    print(f"\n## {name}: {len(queries)} in-scope queries (import + index {setup:.1f} s)")
    print(f"{'system':28} {'lang':8} {'n':>4} {'top-1':>6} {'R@3':>6} {'MRR':>6}")
    results = {}
    for system, ranked_keys in rows:
        for lang in LANGS:
            idx = [i for i, q in enumerate(queries) if q["lang"] == lang]
            if not idx:
                continue
            m = metrics([ranked_keys[i] for i in idx], [queries[i] for i in idx])
            results[(system, lang)] = m
            print(f"{system:28} {lang:8} {m['n']:4} {m['top1']:6.3f} {m['recall3']:6.3f} {m['mrr']:6.3f}")
    print(f"our search: {per_query:.1f} ms per query on average (with snippets)")
    if verbose:
        print("misses at top-1 (ours):")
        for q, keys in zip(queries, ranked, strict=True):
            if keys[:1] != [q["key"]]:
                print(f"  [{q['lang']}] {q['q']!r}: expected {q['key']}, got {keys[:3]}")
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--set", action="append", dest="sets", help="directory with faqs.jsonl + queries.jsonl, or ours"
    )
    parser.add_argument("--data-dir", help="reuse this data directory (default: a new temporary one)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the queries our search misses at top-1")
    args = parser.parse_args(argv)

    tmp = args.data_dir or tempfile.mkdtemp(prefix="search-quality-")
    started = time.monotonic()
    setup_django(tmp)
    print(f"migrated in {time.monotonic() - started:.1f} s; data in {tmp}")
    sets = [resolve_set(s) for s in args.sets] if args.sets else default_sets()
    out = {}
    for name, faq_file, query_file in sets:
        out[name] = run_set(name, faq_file, query_file, tmp, args.verbose)
    print(f"\ntotal {time.monotonic() - started:.1f} s")
    return out


if __name__ == "__main__":
    main()
