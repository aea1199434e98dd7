"""The thesaurus's class relatives (cms/search/thesaurus.py `relatives`) on and off, and a few
of their parameters, over one set's Chinese queries: top-1 / recall@3 / MRR, and the queries won
and lost at top-1 against them off.

    .venv/bin/python bench/search_relatives.py --set ours --data-dir /tmp/rel        # choose here
    .venv/bin/python bench/search_relatives.py --data-dir /tmp/rel -v                # police-dev

The set is imported as bench/search_quality.py does (an empty FAQ table, the real importer, the
built-in lexicon). See docs/search.md "Relatives in the thesaurus's classes".
"""

import argparse
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench import search_quality as sq  # noqa: E402

VARIANTS = [
    {"CLASS_WEIGHT": 0.0},
    {},  # as shipped
    {"CLASS_WEIGHT": 0.3},
    {"CLASS_WEIGHT": 0.7},
    {"CLASS_PER_WORD": 2},
    {"CLASS_PER_WORD": 3},
    {"MAX_GROUP": 60},
    {"MAX_GROUP": 100_000},
    {"CLASS_CHARS": 4},
]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", default=str(sq.EVAL_DIR / "police-dev"), help="directory or ours")
    parser.add_argument("--data-dir", help="reuse this data directory (default: a new temporary one)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the queries won and lost")
    args = parser.parse_args(argv)
    sq.setup_django(args.data_dir or tempfile.mkdtemp(prefix="search-relatives-"))
    from cms.search import querying, thesaurus

    name, faq_file, query_file = sq.resolve_set(args.set)
    sq.import_set(faq_file)
    queries = [q for q in sq.load_queries(query_file) if q["lang"] == "zh-hans"]
    off = None
    print(f"{name} zh-hans, {len(queries)} queries")
    for variant in VARIANTS:
        saved = {}
        for attr, value in variant.items():
            module = thesaurus if hasattr(thesaurus, attr) else querying
            saved[attr] = (module, getattr(module, attr))
            setattr(module, attr, value)
        thesaurus._cache.pop("zh classes", None)  # the classes depend on MAX_GROUP and CLASS_CHARS
        try:
            ranked = sq.ours(queries)
        finally:
            for attr, (module, value) in saved.items():
                setattr(module, attr, value)
            thesaurus._cache.pop("zh classes", None)
        off = ranked if off is None else off
        right = [keys[:1] == [q["key"]] for keys, q in zip(ranked, queries, strict=True)]
        before = [keys[:1] == [q["key"]] for keys, q in zip(off, queries, strict=True)]
        won = sum(r and not b for r, b in zip(right, before, strict=True))
        lost = sum(b and not r for r, b in zip(right, before, strict=True))
        m = sq.metrics(ranked, queries)
        label = ", ".join(f"{k} {v}" for k, v in variant.items()) or "as shipped"
        print(f"{label:24} {m['top1']:.3f} / {m['recall3']:.3f} / {m['mrr']:.3f}   won {won} lost {lost}")
        if args.verbose:
            for keys, q, r, b in zip(ranked, queries, right, before, strict=True):
                if r != b:
                    print(f"    {'won ' if r else 'lost'} {q['q']!r}: expected {q['key']}, got {keys[:2]}")


if __name__ == "__main__":
    main()
