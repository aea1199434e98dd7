"""Search quality on two fixed halves of a set, for choosing a parameter on one half (A) and
reporting it on the other (B): top-1 / recall@3 / MRR of our search for A, B and all, one
language, with the Chinese common-word weighting as shipped and switched off.

    .venv/bin/python bench/search_halves.py --data-dir /tmp/halves          # police-dev zh-hans
    .venv/bin/python bench/search_halves.py --set ours --lang zh-hans --data-dir /tmp/halves

A query is in half A when the md5 of its text is even, in B otherwise (stable across runs and
machines). The set is imported as bench/search_quality.py does (an empty FAQ table, the real
importer, the built-in lexicon). See docs/search.md "Common Chinese words weigh less".
"""

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench import search_quality as sq  # noqa: E402


def half(query):
    return int(hashlib.md5(query["q"].encode("utf-8"), usedforsecurity=False).hexdigest(), 16) % 2


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", default=str(sq.EVAL_DIR / "police-dev"), help="directory or ours")
    parser.add_argument("--lang", default="zh-hans")
    parser.add_argument("--data-dir", help="reuse this data directory (default: a new temporary one)")
    args = parser.parse_args(argv)
    sq.setup_django(args.data_dir or tempfile.mkdtemp(prefix="search-halves-"))
    from cms.search import querying

    name, faq_file, query_file = sq.resolve_set(args.set)
    sq.import_set(faq_file)
    queries = [q for q in sq.load_queries(query_file) if q["lang"] == args.lang]
    parts = {
        "A": [q for q in queries if half(q) == 0],
        "B": [q for q in queries if half(q) == 1],
        "all": queries,
    }
    print(f"{name} {args.lang}: " + ", ".join(f"{k} {len(v)}" for k, v in parts.items()))
    shipped = querying.GENERAL_FLOOR
    for label, floor in (("common-word weighting off", 1.0), ("as shipped", shipped)):
        querying.GENERAL_FLOOR = floor
        cells = []
        for key, part in parts.items():
            m = sq.metrics(sq.ours(part), part)
            cells.append(f"{key} {m['top1']:.3f} / {m['recall3']:.3f} / {m['mrr']:.3f}")
        print(f"{label:26} " + "   ".join(cells))
    querying.GENERAL_FLOOR = shipped


if __name__ == "__main__":
    main()
