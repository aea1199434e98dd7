"""Choosing the English thesaurus's parameters (cms/search/thesaurus_en.py, WordNet) without
fitting them to the set they are judged on.

    .venv/bin/python bench/search_wordnet.py --set ../shared/eval/police-dev --data-dir /tmp/wn-pd
    .venv/bin/python bench/search_wordnet.py --set ../shared/eval/stackfaq --data-dir /tmp/wn-sf

Imports one set the way bench/search_quality.py does, splits its in-scope English queries into
two halves by a hash of the query text (A and B: the same split in every run), and prints
top-1 / recall@3 / MRR for every parameter combination of the grid on half A, half B and the
whole set, with the thesaurus off and plain BM25 (question + paraphrases + answer) measured in
the same run. Parameters are chosen on one half (police-dev A) and read on the other half and
on the other set; docs/search.md has the figures.
"""

import argparse
import hashlib
import itertools
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_quality as sq  # noqa: E402

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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", required=True, help="directory with faqs.jsonl + queries.jsonl, or ours")
    parser.add_argument("--data-dir", help="reuse this data directory (default: a new temporary one)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="NAME=V1,V2: these values of a parameter instead of its grid (repeatable)",
    )
    args = parser.parse_args(argv)
    sq.setup_django(args.data_dir or tempfile.mkdtemp(prefix="search-wordnet-"))
    from django.conf import settings

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
