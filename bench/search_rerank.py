"""An experiment that did not pay: a learned re-ranker over the first stage's candidates,
measured only on data it was not trained on (docs/search.md "A learned re-ranker: measured, not
shipped").

    .venv/bin/python bench/search_rerank.py                  # about a minute on a quiet machine
    .venv/bin/python bench/search_rerank.py --data-dir /tmp/sr   # reuse a migrated database

Every labelled set (police-dev and stackfaq from ../shared/eval, ours: tests/data over the demo
FAQs) is imported as bench/search_quality.py does. For every in-scope query, the first stage's
best CANDIDATES FAQs (exactly what search ranks today: BM25F over arrays, then coverage) get
cheap features computed from the index's arrays (`features`): the question side's and the
body's BM25 per query concept, plain and idf-weighted concept coverage and where it is found,
the query's rarest concept on the question side or only in the body, the Chinese character and
pinyin bigram matches, the FAQ's own question (without paraphrases), the first stage's score and
rank. Each is relative to the query's own candidates, so one model can serve collections of any
size. The model is a pairwise logistic regression (the right FAQ against each other candidate,
feature differences, no intercept; scikit-learn, development time only), its C chosen by
grouped 5-fold cross-validation on the training sets only.

Reported (all held out): train on ours + stackfaq → police-dev; train on ours + police-dev →
stackfaq; 5-fold over the union grouped by FAQ (no FAQ in two folds). Next to each, the first
stage's own ranking of the same candidates (= our search today) and the queries the re-ranker
won and lost at top-1.
"""

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

import search_quality as sq  # noqa: E402

CANDIDATES = 20  # cms.search.ranking.CANDIDATES: the first stage's pool
C_GRID = (0.01, 0.1, 1.0)
FOLDS = 5
SEED = 20261206
CHAR_WEIGHT = 0.5
FIELD_WEIGHTS = {"alt": 3.0, "body": 0.6}  # cms.search.querying.FIELD_WEIGHTS

FEATURES = (
    "score_rel",  # first-stage score / the best first-stage score
    "log_score_rel",  # log of the same
    "inv_rank",  # 1 / (1 + first-stage rank)
    "question_rel",  # question side's BM25 over the concepts / the best candidate's
    "body_rel",  # body's BM25 over the concepts / the best candidate's
    "coverage",  # share of the query's concepts (by weight) the document has, any field
    "coverage_idf",  # the same, concepts weighted by idf
    "question_coverage_idf",  # idf-weighted share found on the question side
    "body_only_idf",  # idf-weighted share found only in the body
    "rarest_question",  # the query's rarest concept is on the question side
    "rarest_body_only",  # ... only in the body
    "gram_rel",  # Chinese: character and pinyin bigram score / the best candidate's
    "gram_share",  # Chinese: share of the query's character bigrams in the question side
    "pinyin_share",  # Chinese: share of its pinyin bigrams
    "question_length",  # log question-side length relative to the average
    "body_length",  # log body length relative to the average
    "zh_coverage_idf",  # interactions with the language (1 for Chinese)
    "zh_question_rel",
    "zh_body_rel",
    "title_rel",  # the FAQ's own question (without its paraphrases): BM25 / the best candidate's
    "title_coverage_idf",  # idf-weighted share of the concepts in that question
    "long_body_rel",  # body_rel x log(1 + number of concepts): long questions lean on the answer
    "long_question_coverage_idf",  # question_coverage_idf x log(1 + number of concepts)
    "title_match_share",  # the FAQ's question's words that the query has / its length
    "title_length",  # log length of the FAQ's own question relative to the average
)


def _lookup(arrays, fieldname, token, cands, cache):
    """(BM25 of `token` in `fieldname` for each candidate, document frequency)."""
    key = (fieldname, token)
    found = cache.get(key)
    if found is None:
        ids, values = arrays.term(fieldname, token)
        if not len(ids):
            found = (None, 0)
        else:  # ids are ascending (segments in order, postings in order)
            idx = np.minimum(np.searchsorted(ids, cands), len(ids) - 1)
            found = (np.where(ids[idx] == cands, values[idx], 0.0), len(ids))
        cache[key] = found
    return found


def features(arrays, ranked, concepts, lang, gram_terms=()):
    """The feature matrix (len(ranked) x len(FEATURES)) of the first stage's `ranked`
    [(docnum, score)] (best first) for a query of `concepts` (cms.search.querying._concepts) in
    `lang`; `gram_terms` are the Chinese complements [(fieldname, text, boost)]."""
    k = len(ranked)
    cands = np.array([d for d, _s in ranked], dtype=np.int64)
    first = np.array([s for _d, s in ranked], dtype=np.float64)
    suffix = "zh" if lang == "zh-hans" else "en"
    qfield, bfield = f"alt_{suffix}", f"body_{suffix}"
    cache = {}
    zero = np.zeros(k)
    n_docs = max(arrays.size, 1)
    c = len(concepts)
    tfield = f"title_{suffix}"
    t_scores = np.zeros((c, k))
    t_count = np.zeros(k)
    q_scores = np.zeros((c, k))
    b_scores = np.zeros((c, k))
    idf = np.zeros(c)
    weight = np.zeros(c)
    for ci, alts in enumerate(concepts):
        best = zero.copy()
        best_q = zero.copy()
        best_b = zero.copy()
        best_t = zero.copy()
        best_tc = zero.copy()
        df_concept = 0
        for tokens, w in alts:
            alt_q = zero.copy()
            alt_b = zero.copy()
            alt_t = zero.copy()
            alt_tc = zero.copy()
            ok = np.ones(k, dtype=bool)
            ok_t = np.ones(k, dtype=bool)
            df_alt = None
            for token in tokens:
                sq, dfq = _lookup(arrays, qfield, token, cands, cache)
                sb, dfb = _lookup(arrays, bfield, token, cands, cache)
                part_q = zero if sq is None else sq * (FIELD_WEIGHTS["alt"] * w)
                part_b = zero if sb is None else sb * (FIELD_WEIGHTS["body"] * w)
                st, _dft = _lookup(arrays, tfield, token, cands, cache)
                if st is None:
                    ok_t[:] = False
                else:
                    alt_t = alt_t + st * w
                    alt_tc = alt_tc + (st > 0)
                    ok_t &= st > 0
                df = max(dfq, dfb)
                if suffix == "zh" and len(token) == 1 and _has_han(token):
                    sc, dfc = _lookup(arrays, "chars_zh", token, cands, cache)
                    if sc is not None:
                        part_q = part_q + sc * (CHAR_WEIGHT * w)
                    df = max(df, dfc)
                ok &= (part_q > 0) | (part_b > 0)
                alt_q = alt_q + part_q
                alt_b = alt_b + part_b
                df_alt = df if df_alt is None else min(df_alt, df)
            total = np.where(ok, alt_q + alt_b, 0.0)
            better = total > best
            best_q = np.where(better, alt_q, best_q)
            best_b = np.where(better, alt_b, best_b)
            best = np.maximum(best, total)
            best_t = np.maximum(best_t, np.where(ok_t, alt_t, 0.0))
            best_tc = np.maximum(best_tc, alt_tc)
            df_concept = max(df_concept, df_alt or 0)
        t_scores[ci] = best_t
        t_count = t_count + best_tc
        q_scores[ci] = best_q
        b_scores[ci] = best_b
        idf[ci] = math.log(1 + n_docs / (1 + df_concept))
        weight[ci] = max(w for _t, w in alts)
    out = np.zeros((k, len(FEATURES)))
    top = first[0] if k and first[0] > 0 else 1.0
    out[:, 0] = first / top
    out[:, 1] = np.log(np.maximum(first / top, 1e-6))
    out[:, 2] = 1.0 / (1.0 + np.arange(k))
    if c:
        q_total = q_scores.sum(0)
        b_total = b_scores.sum(0)
        out[:, 3] = q_total / (q_total.max() or 1.0)
        out[:, 4] = b_total / (b_total.max() or 1.0)
        in_q = q_scores > 0
        in_b = b_scores > 0
        in_any = in_q | in_b
        out[:, 5] = weight @ in_any / (weight.sum() or 1.0)
        idf_total = idf.sum() or 1.0
        out[:, 6] = idf @ in_any / idf_total
        out[:, 7] = idf @ in_q / idf_total
        out[:, 8] = idf @ (in_b & ~in_q) / idf_total
        rarest = int(np.argmax(idf))
        out[:, 9] = in_q[rarest]
        out[:, 10] = in_b[rarest] & ~in_q[rarest]
        t_total = t_scores.sum(0)
        out[:, 19] = t_total / (t_total.max() or 1.0)
        out[:, 20] = idf @ (t_scores > 0) / idf_total
        length = math.log1p(c)
        out[:, 21] = out[:, 4] * length
        out[:, 22] = out[:, 7] * length
    if gram_terms:
        gram_total = zero.copy()
        shares = {"gramq_zh": [0, zero.copy()], "py_zh": [0, zero.copy()]}
        for fieldname, text, boost in gram_terms:
            s, _df = _lookup(arrays, fieldname, text, cands, cache)
            share = shares.setdefault(fieldname, [0, zero.copy()])
            share[0] += 1
            if s is not None:
                gram_total = gram_total + s * boost
                share[1] = share[1] + (s > 0)
        out[:, 11] = gram_total / (gram_total.max() or 1.0)
        out[:, 12] = shares["gramq_zh"][1] / max(shares["gramq_zh"][0], 1)
        out[:, 13] = shares["py_zh"][1] / max(shares["py_zh"][0], 1)
    for col, fieldname in ((14, qfield), (15, bfield)):
        lengths, average = _field_lengths(arrays, fieldname)
        out[:, col] = np.log1p(lengths[cands]) - math.log1p(average)
    t_lengths, t_average = _field_lengths(arrays, tfield)
    out[:, 23] = np.minimum(t_count / np.maximum(t_lengths[cands], 1.0), 1.0)
    out[:, 24] = np.log1p(t_lengths[cands]) - math.log1p(t_average)
    if suffix == "zh":
        out[:, 16] = out[:, 6]
        out[:, 17] = out[:, 3]
        out[:, 18] = out[:, 4]
    return out


def _field_lengths(arrays, fieldname):
    """(every document's length of `fieldname`, the average), from the segment arrays."""
    from cms.search import scoring

    cache = arrays.__dict__.setdefault("_bench_lengths", {})
    if fieldname not in cache:
        lengths = np.zeros(arrays.size)
        for reader, offset in arrays.leaves:
            part = scoring._segment_lengths(reader, fieldname)
            lengths[offset : offset + len(part)] = part
        cache[fieldname] = (lengths, arrays.searcher.avg_field_length(fieldname) or 1.0)
    return cache[fieldname]


def _has_han(text):
    from cms.search import analysis

    return analysis.has_han(text)


# The features the reported model uses. The lengths (question side, body, the FAQ's question)
# and the query-length interactions were dropped: each made stackfaq worse held out.
USED = tuple(
    f
    for f in FEATURES
    if f not in ("question_length", "body_length", "long_body_rel", "long_question_coverage_idf", "title_length")
)


# --- Collecting ---------------------------------------------------------------------------------


def collect(name, faq_file, query_file):
    """Import the set, then one row per in-scope query: its candidates' keys and features and
    the position of the right FAQ among them (-1: not a candidate)."""
    from cms.search import index, scoring

    sq.import_set(faq_file)
    searcher = index._searcher()
    arrays = scoring.scorer_for(searcher)
    used = [FEATURES.index(f) for f in USED]
    rows = []
    for q in sq.load_queries(query_file):
        text = index.clean_query(q["q"])
        if len(text) > index.MAX_QUERY_CHARS:
            text = index._shorten(searcher, text, q["lang"])
        ranked, _corr, _late, concepts_by_lang, gram_terms = index._first_stage(
            searcher, arrays, text, q["lang"], "faq", 10, False, None
        )
        ranked = ranked[:CANDIDATES]
        keys = [searcher.stored_fields(d)["key"] for d, _s in ranked]
        concepts = concepts_by_lang.get(q["lang"], [])
        x = features(arrays, ranked, concepts, q["lang"], gram_terms)[:, used] if ranked and concepts else None
        rows.append(
            {
                "set": name,
                "lang": q["lang"],
                "key": q["key"],
                "label": keys.index(q["key"]) if q["key"] in keys else -1,
                "keys": keys,
                "x": x,
            }
        )
    return rows


# --- Fitting and measuring ----------------------------------------------------------------------


def _pairs(rows):
    diffs = []
    for row in rows:
        if row["x"] is None or row["label"] < 0 or len(row["x"]) < 2:
            continue
        x = row["x"]
        diffs.append(x[row["label"]] - np.delete(x, row["label"], axis=0))
    return np.concatenate(diffs)


def fit(rows, c):
    """Pairwise logistic regression; weights over the raw features."""
    from sklearn.linear_model import LogisticRegression

    d = _pairs(rows)
    scale = d.std(axis=0)
    scale[scale == 0] = 1.0
    xs = np.concatenate([d / scale, -d / scale])
    ys = np.concatenate([np.ones(len(d)), np.zeros(len(d))])
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=5000)
    model.fit(xs, ys)
    return model.coef_[0] / scale


def ranked_keys(row, weights):
    """The candidates' keys as the model orders them (the first stage's order when None)."""
    if weights is None or row["x"] is None or len(row["keys"]) < 2:
        return row["keys"]
    values = row["x"] @ weights
    order = sorted(range(len(values)), key=lambda i: (-values[i], i))
    return [row["keys"][i] for i in order]


def metrics(scored):
    """top-1, recall@3, MRR (first 10) over [(row, weights)], as bench/search_quality.py."""
    n = len(scored) or 1
    top1 = r3 = mrr = 0.0
    for row, weights in scored:
        keys = ranked_keys(row, weights)[:10]
        top1 += keys[:1] == [row["key"]]
        r3 += row["key"] in keys[:3]
        if row["key"] in keys:
            mrr += 1 / (keys.index(row["key"]) + 1)
    return top1 / n, r3 / n, mrr / n


def grouped_folds(rows, k=FOLDS, seed=SEED):
    """Fold of every row, grouped by FAQ (set, key): no FAQ in two folds."""
    groups = sorted({(r["set"], r["key"]) for r in rows})
    order = np.random.default_rng(seed).permutation(len(groups))
    fold_of = {groups[i]: n % k for n, i in enumerate(order)}
    return [fold_of[(r["set"], r["key"])] for r in rows]


def out_of_fold(rows, c, k=FOLDS):
    folds = grouped_folds(rows, k)
    out = []
    for f in range(k):
        weights = fit([r for r, g in zip(rows, folds, strict=True) if g != f], c)
        out += [(r, weights) for r, g in zip(rows, folds, strict=True) if g == f]
    return out


def choose_c(rows):
    """C by grouped k-fold MRR on `rows` only (the training data)."""
    return max(C_GRID, key=lambda c: metrics(out_of_fold(rows, c))[2])


def fit_chosen(rows):
    c = choose_c(rows)
    return fit(rows, c), c


def report(rows):
    header = f"{'held out':42} {'lang':8} {'n':>5} {'search today':>20} {'re-ranked':>20} {'won/lost':>9}"
    print(header)

    def line(label, scored):
        for lang in sq.LANGS:
            mine = [(r, w) for r, w in scored if r["lang"] == lang]
            if not mine:
                continue
            base = metrics([(r, None) for r, _w in mine])
            new = metrics(mine)
            won = sum(ranked_keys(r, w)[:1] == [r["key"]] and ranked_keys(r, None)[:1] != [r["key"]] for r, w in mine)
            lost = sum(ranked_keys(r, w)[:1] != [r["key"]] and ranked_keys(r, None)[:1] == [r["key"]] for r, w in mine)
            fmt = "{:.3f}/{:.3f}/{:.3f}"
            print(f"{label:42} {lang:8} {len(mine):5} {fmt.format(*base):>20} {fmt.format(*new):>20} {won:4}/{lost:<4}")

    names = list(dict.fromkeys(r["set"] for r in rows))
    for test in names:
        if test == "ours":
            continue
        train = [r for r in rows if r["set"] != test]
        weights, c = fit_chosen(train)
        line(f"{test} (trained on the rest, C={c})", [(r, weights) for r in rows if r["set"] == test])
    folds = grouped_folds(rows)
    scored = []
    for f in range(FOLDS):
        weights, _c = fit_chosen([r for r, g in zip(rows, folds, strict=True) if g != f])
        scored += [(r, weights) for r, g in zip(rows, folds, strict=True) if g == f]
    for name in names:
        line(f"{name} ({FOLDS}-fold over the union)", [(r, w) for r, w in scored if r["set"] == name])
    found = np.mean([r["label"] >= 0 for r in rows])
    print(f"(top-1/R@3/MRR; the right FAQ is among the {CANDIDATES} candidates for {found:.1%} of queries)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="reuse this data directory (default: a new temporary one)")
    args = parser.parse_args(argv)
    tmp = args.data_dir or tempfile.mkdtemp(prefix="search-rerank-")
    started = time.monotonic()
    sq.setup_django(tmp)
    rows = []
    for name, faq_file, query_file in sq.default_sets():
        rows += collect(name.split(" ")[0], faq_file, query_file)
    print(f"{len(rows)} queries collected in {time.monotonic() - started:.1f} s; features: {', '.join(USED)}")
    report(rows)


if __name__ == "__main__":
    main()
