"""Choosing the English thesaurus's parameters (cms/search/thesaurus_en.py, WordNet) without
fitting them to the set they are judged on.

    .venv/bin/python bench/search_wordnet.py --set ../shared/eval/police-dev --data-dir /tmp/wn-pd
    .venv/bin/python bench/search_wordnet.py --set ../shared/eval/stackfaq --data-dir /tmp/wn-sf

    .venv/bin/python bench/search_wordnet.py --latency --data-dir /tmp/lat   # an index built by
                                                   # bench/search_latency.py (10,000 FAQs)

Imports one set the way bench/search_quality.py does, splits its in-scope English queries into
two halves by a hash of the query text (A and B: the same split in every run), and prints
top-1 / recall@3 / MRR for every parameter combination of the grid on half A, half B and the
whole set, with the thesaurus off and plain BM25 (question + paraphrases + answer) measured in
the same run. Parameters are chosen on one half (police-dev A) and read on the other half and
on the other set; docs/search.md has the figures.

With --latency, nothing is imported: over the index already in --data-dir, our English queries
and police-dev's are searched with the thesaurus off and on alternately, query by query (three
rounds, after one warm round), and the p50 / p95 / p99 of each are printed, with the time of the
first English search (which loads WordNet).
"""

import argparse
import hashlib
import itertools
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_quality as sq  # noqa: E402

POLICE_DEV_QUERIES = sq.EVAL_DIR / "police-dev" / "queries.jsonl"

GRID = {
    "WORDNET_WEIGHT": (0.0, 0.5, 0.7, 0.9),
    "WORDNET_PER_WORD": (1, 3, 5),
    "MIN_SENSE_SHARE": (0.1, 0.25, 0.5),
    "BOTH_WAYS": (0, 1),
}


SYNONYMS_ONLY = ("WORDNET_PER_WORD", "MIN_SENSE_SHARE", "BOTH_WAYS")


def half(query):
    return "A" if hashlib.sha256(query["q"].encode()).digest()[0] % 2 == 0 else "B"


def configure(params):
    from cms.search import querying, thesaurus_en

    for name, value in params.items():
        if name in ("MIN_SENSE_SHARE", "BOTH_WAYS"):
            if getattr(thesaurus_en, name) != value:
                setattr(thesaurus_en, name, value)
                thesaurus_en._expand.cache_clear()
        else:
            setattr(querying, name, value)


def score(ranked, queries):
    out = {}
    for part in ("A", "B", "all"):
        idx = [i for i, q in enumerate(queries) if part == "all" or half(q) == part]
        out[part] = sq.metrics([ranked[i] for i in idx], [queries[i] for i in idx])
    return out


def line(label, result):
    cells = "  ".join(
        f"{p}({result[p]['n']}) {result[p]['top1']:.3f}/{result[p]['recall3']:.3f}/{result[p]['mrr']:.3f}"
        for p in ("A", "B", "all")
    )
    print(f"{label:44} {cells}", flush=True)


def latency():
    import statistics
    import time

    from django.conf import settings

    from cms.search import index

    texts = [q["q"] for q in sq.load_queries(sq.OWN_QUERIES) if q["lang"] == "en"]
    texts += [q["q"] for q in sq.load_queries(POLICE_DEV_QUERIES) if q["lang"] == "en"]
    settings.SEARCH_THESAURUS = True
    started = time.monotonic()
    index.search("lost wallet", lang="en", limit=1)
    print(f"first English search (loads WordNet): {time.monotonic() - started:.2f} s")
    for text in texts:  # warm round: postings read once both ways
        for on in (False, True):
            settings.SEARCH_THESAURUS = on
            index.search(text, lang="en", limit=10)
    times = {False: [], True: []}
    for round_ in range(3):
        for text in texts:
            for on in (False, True) if round_ % 2 == 0 else (True, False):
                settings.SEARCH_THESAURUS = on
                started = time.perf_counter()
                index.search(text, lang="en", limit=10)
                times[on].append(1000 * (time.perf_counter() - started))
    for on, xs in times.items():
        xs.sort()
        p95, p99 = xs[int(0.95 * len(xs))], xs[int(0.99 * len(xs))]
        label = "on " if on else "off"
        print(f"thesaurus {label}: n={len(xs)} p50 {statistics.median(xs):.1f} p95 {p95:.1f} p99 {p99:.1f} ms")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", help="directory with faqs.jsonl + queries.jsonl, or ours")
    parser.add_argument("--latency", action="store_true", help="time off / on over the index in --data-dir")
    parser.add_argument("--data-dir", help="reuse this data directory (default: a new temporary one)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="NAME=V1,V2: these values of a parameter instead of its grid (repeatable)",
    )
    args = parser.parse_args(argv)
    if not args.set and not args.latency:
        parser.error("--set or --latency")
    sq.setup_django(args.data_dir or tempfile.mkdtemp(prefix="search-wordnet-"))
    from django.conf import settings

    if args.latency:
        latency()
        return

    name, faq_file, query_file = sq.resolve_set(args.set)
    sq.import_set(faq_file)
    queries = [q for q in sq.load_queries(query_file) if q["lang"] == "en"]
    print(f"## {name}: {len(queries)} English in-scope queries; halves by sha256 of the query text")
    print("top-1 / recall@3 / MRR")
    line("plain BM25 (q+para+answer)", score(sq.plain_bm25(queries), queries))
    settings.SEARCH_THESAURUS = False
    line("ours, thesaurus off", score(sq.ours(queries), queries))
    settings.SEARCH_THESAURUS = True
    grid = dict(GRID)
    for item in args.only:
        key, value = item.split("=")
        grid[key] = tuple(type(GRID[key][0])(v) for v in value.split(","))
    names = list(grid)
    for values in itertools.product(*(grid[n] for n in names)):
        params = dict(zip(names, values, strict=True))
        if not params["WORDNET_WEIGHT"] and any(params[n] != grid[n][0] for n in SYNONYMS_ONLY):
            continue  # no synonyms: the other synonym parameters change nothing
        configure(params)
        label = "w={WORDNET_WEIGHT} per={WORDNET_PER_WORD} share={MIN_SENSE_SHARE} both={BOTH_WAYS}"
        line(label.format(**params), score(sq.ours(queries), queries))


if __name__ == "__main__":
    main()
