"""Emergency detection quality: recall and false-alarm rate per set, per language (zh/en/mixed)
and per category, for the shipped detector, a naive keyword baseline and the learned model on
messages it was not trained on; plus the detector's latency per message.

    .venv/bin/python bench/emergency.py                       # ../shared/eval/emergency-dev and ours
    .venv/bin/python bench/emergency.py --set path/to/messages.jsonl --set some/dir
    .venv/bin/python bench/emergency.py --no-learned          # only the shipped detector (fast)

Columns (each "recall / false-alarm rate"):
- keywords: the naive list of the development set's README (救命, 着火, 砍, 杀, kill, fire, help …),
  for scale: about chance on that set.
- shipped: chatbot.emergency.detect as it runs in the portal, without editors' patterns. Its model
  was trained on both repository sets, so on them this column is in-sample (not a quality
  figure); on any other set it is held out.
- other-set: the model trained only on the repository's *other* labelled set (ours → shared and
  shared → ours), its threshold chosen by k-fold on that training set.
- k-fold: the model in an outer k-fold over the union of the repository's sets (stratified by
  label, language and set); each fold's threshold is chosen by an inner k-fold on its training
  part. Only the rows of the set shown are counted.
For a set that is not one of the repository's training sets, other-set and k-fold train on all of
the repository's messages that are not in that set (by text).

Needs scikit-learn for the learned columns (development dependency); the shipped detector does not.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

SHARED = BASE_DIR.parent / "shared" / "eval" / "emergency-dev"
OURS = BASE_DIR / "tests" / "data" / "emergency_messages.jsonl"
KEYWORDS = (
    "救命", "着火", "火灾", "失火", "烟", "砍", "杀", "刀", "枪", "抢", "偷", "打人", "血", "死", "跳楼", "自杀",
    "绑架", "跟踪",
    "kill", "fire", "smoke", "help", "knife", "gun", "robbed", "blood", "dead", "die", "suicide", "following",
)  # fmt: skip
LANGS = ("zh", "en", "mixed")


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from chatbot import emergency

    emergency._load_db_rows = list  # the built-in detector only: no editors' patterns, no database


def rates(rows, flags):
    pos = [f for r, f in zip(rows, flags, strict=True) if r["emergency"]]
    neg = [f for r, f in zip(rows, flags, strict=True) if not r["emergency"]]
    recall = sum(pos) / len(pos) if pos else float("nan")
    false_alarms = sum(neg) / len(neg) if neg else float("nan")
    return recall, false_alarms, len(pos), len(neg)


def table(title, rows, columns):
    """columns: {name: list of bool flags aligned with rows}."""
    print(f"\n## {title} ({len(rows)} messages)")
    names = list(columns)
    print(f"{'':24}{'n (em/non)':>12}" + "".join(f"{name:>22}" for name in names))
    groups = [("all", rows)]
    groups += [(f"lang {lang}", [r for r in rows if r["lang"] == lang]) for lang in LANGS]
    cats = sorted({r["category"] for r in rows if r["category"]})
    groups += [(f"  {cat}", [r for r in rows if r["category"] == cat]) for cat in cats]
    index = {id(r): i for i, r in enumerate(rows)}
    for label, members in groups:
        if not members:
            continue
        cells = []
        for name in names:
            flags = [columns[name][index[id(r)]] for r in members]
            recall, fa, n_pos, n_neg = rates(members, flags)
            cells.append(f"{recall:.2f} / {fa:.2f}".replace("nan", " -- "))
        print(f"{label[:24]:24}{f'{n_pos}/{n_neg}':>12}" + "".join(f"{c:>22}" for c in cells))


_oof = {}


def learned_columns(name, rows, training_sets, folds):
    """other-set and k-fold flags for `rows` (see the module docstring)."""
    from chatbot import emergency_train as T

    own = training_sets.get(name) if name != "ordinary" else None
    texts = {r["text"] for r in rows}
    if own is not None:
        others = [r for key, rs in training_sets.items() if key != name for r in rs]  # incl. ordinary
        union = [r for rs in training_sets.values() for r in rs]
        probs, threshold = T.cross_set(others, rows, k=folds)
        other_flags = list(probs >= threshold)
        if "union" not in _oof:
            _oof["union"] = T.out_of_fold(union, k=folds)
        oof, thresholds = _oof["union"]
        at = {r["id"]: (p, t) for r, p, t in zip(union, oof, thresholds, strict=True)}
        kfold_flags = [at[r["id"]][0] >= at[r["id"]][1] for r in rows]
        return {"other-set": other_flags, f"{folds}-fold union": kfold_flags}
    train = [r for rs in training_sets.values() for r in rs if r["text"] not in texts]
    probs, threshold = T.cross_set(train, rows, k=folds)
    return {"repo-trained": list(probs >= threshold)}


POLICE_DEV = BASE_DIR.parent / "shared" / "eval" / "police-dev" / "queries.jsonl"
STACKFAQ = BASE_DIR.parent / "shared" / "eval" / "stackfaq" / "queries.jsonl"


def ordinary_table(emergency):
    """False alarms on ordinary questions the model never saw: the shared search sets' queries
    (police-dev without its missing-person topic, which the policy counts as an emergency)."""
    from chatbot import emergency_train

    print("\n## ordinary questions: false alarms of the shipped detector")
    sources = [(POLICE_DEV, ("missing-person",)), (STACKFAQ, ())]
    if emergency_train.ORDINARY_WEIGHT == 0:  # not trained on: held out
        sources.append((None, emergency_train.ORDINARY_EXCLUDED_KEYS))
    for path, excluded in sources:
        if path is not None and not path.exists():
            continue
        paths = [path] if path else emergency_train.ORDINARY
        name = path.parent.name if path else "ours (search, FAQs, out-of-scope)"
        rows = emergency_train.load_ordinary(paths, source=name, excluded_keys=excluded)
        for lang in ("all", *LANGS):
            members = [r for r in rows if lang in ("all", r["lang"])]
            if not members:
                continue
            flags = [emergency.detect(r["text"]) is not None for r in members]
            print(f"{name[:34]:34} {lang:6} {sum(flags):4}/{len(flags):<5} {sum(flags) / len(flags):.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", action="append", dest="sets", help="a .jsonl file or a directory with messages.jsonl")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-learned", action="store_true", help="skip the out-of-fold columns (no scikit-learn)")
    args = parser.parse_args()
    setup_django()
    from chatbot import emergency
    from chatbot.emergency_train import load, load_ordinary

    sets = [Path(s) for s in (args.sets or [SHARED, OURS])]
    training_sets = {"emergency-dev": load(SHARED), "emergency_messages": load(OURS), "ordinary": load_ordinary()}
    emergency.warm_up()
    all_times = []
    for path in sets:
        rows = load(path)
        name = rows[0]["source"] if rows else str(path)
        if name == "emergency-dev" and path.resolve() != SHARED.resolve():
            name = str(path)
        columns = {"keywords": [any(k in r["text"].lower() for k in KEYWORDS) for r in rows]}
        shipped = []
        for r in rows:
            # Best of three runs per message: the machine is shared, and a stall of another
            # process is not the detector's time.
            spent = []
            for _ in range(3):
                start = time.perf_counter()
                flagged = emergency.detect(r["text"]) is not None
                spent.append(time.perf_counter() - start)
            shipped.append(flagged)
            all_times.append(min(spent))
        columns["shipped" + (" (in-sample)" if name in training_sets else "")] = shipped
        if not args.no_learned:
            columns.update(learned_columns(name, rows, training_sets, args.folds))
        table(f"{name}: recall / false alarms", rows, columns)
    ordinary_table(emergency)
    all_times.sort()
    print(
        f"\nlatency of chatbot.emergency.detect over {len(all_times)} messages: "
        f"mean {statistics.mean(all_times) * 1000:.3f} ms, p50 {all_times[len(all_times) // 2] * 1000:.3f} ms, "
        f"p95 {all_times[int(len(all_times) * 0.95)] * 1000:.3f} ms, max {all_times[-1] * 1000:.3f} ms"
    )
    meta = emergency.warm_up().meta
    print(f"model: {json.dumps(meta, ensure_ascii=False)}; threshold {emergency.warm_up().threshold:.4f}")


if __name__ == "__main__":
    main()
