"""What the chatbot does with citizens' questions: answered (right or wrong), "did you mean"
(with or without the right FAQ among the choices), or "I don't know".

    .venv/bin/python bench/chat_answers.py                  # every set: ours + ../shared/eval/*
    .venv/bin/python bench/chat_answers.py --set ../shared/eval/police-dev [-v]
    .venv/bin/python bench/chat_answers.py --dump /tmp/chat-features.jsonl   # for calibration

Sets:
- `ours`: the demo site (seed_demo: FAQs, service guides, synonym sets) with the labelled citizen
  queries of tests/data/search_queries.jsonl and the out-of-scope questions of
  tests/chatbot/engine_out_of_scope.jsonl and tests/data/chat_out_of_scope.jsonl. Training data:
  the answer decision is fitted on it, so its figures say little.
- a directory with `faqs.jsonl` and `queries.jsonl` (`{"query", "lang", "key"}`, `key` null for
  out-of-scope questions), e.g. ../shared/eval/police-dev: an empty portal (migrations only, so
  the built-in police lexicon but no demo content), the FAQs imported with the real importer
  (`manage.py import_faqs`), the index rebuilt. As a bureau that brings its own FAQs would run.

Every question goes through the real engine (`chatbot.engine.respond`, a new conversation each
time): the same decision the chat socket makes. Each set runs in its own process on its own
temporary data directory and SQLite database (about a minute each for the migrations).

Outcomes for a question with an answer: `right` (answered directly with its FAQ, or with the
service guide of its FAQ), `wrong` (answered with anything else), `offered` ("did you mean" with
the right one among the choices), `offered_other` (choices without it), `unknown` ("I don't
know"), `other` (routed before searching: emergency, request, small talk). For out-of-scope
questions: `answered`, `clarify`, `unknown`, `other`. See docs/chatbot.md ("The answer
decision").
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

SHARED_EVAL = BASE_DIR.parent / "shared" / "eval"
OURS = "ours"
OUR_LABELLED = BASE_DIR / "tests" / "data" / "search_queries.jsonl"
OUR_OUT_OF_SCOPE = [
    BASE_DIR / "tests" / "chatbot" / "engine_out_of_scope.jsonl",
    BASE_DIR / "tests" / "data" / "chat_out_of_scope.jsonl",
]
IN_SCOPE = ("right", "wrong", "offered", "offered_other", "unknown", "other")
OUT_OF_SCOPE = ("answered", "clarify", "unknown", "other")


def default_sets():
    sets = [OURS]
    if SHARED_EVAL.is_dir():
        for path in sorted(SHARED_EVAL.iterdir()):
            if (path / "faqs.jsonl").exists() and (path / "queries.jsonl").exists():
                sets.append(str(path))
    return sets


def load(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def queries_of(name):
    """[{"query", "lang", "key"}] of a set; key None for out-of-scope questions."""
    if name == OURS:
        rows = [{"query": r["q"], "lang": r["lang"], "key": r["key"]} for r in load(OUR_LABELLED)]
        for path in OUR_OUT_OF_SCOPE:
            rows += [{"query": r["q"], "lang": r["lang"], "key": None} for r in load(path)]
        return rows
    return [{"query": r["query"], "lang": r["lang"], "key": r.get("key")} for r in load(Path(name) / "queries.jsonl")]


# --- the worker: one set, in its own process and data directory -------------------------------


def setup_django(data_dir):
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    os.environ["PORTAL_TEST_DATA_DIR"] = str(data_dir)
    os.environ["PORTAL_TEST_DB_NAME"] = str(Path(data_dir) / "bench.sqlite3")
    os.environ["PORTAL_TEST_RATELIMIT_ENABLE"] = "false"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def load_content(name):
    from django.core.management import call_command

    if name == OURS:
        call_command("seed_demo", no_users=True, verbosity=0)
    else:
        from cms.faq_import import import_faqs

        import_faqs(Path(name) / "faqs.jsonl")
    call_command("rebuild_search_index", verbosity=0)


def guide_keys():
    """(FAQ key, language) → the id of its service guide page (answering with the guide of the
    right FAQ is right too)."""
    from cms.models import FAQ

    rows = FAQ.objects.filter(live=True, related_guide__isnull=False).values_list(
        "key", "locale__language_code", "related_guide_id"
    )
    return {(key, lang): str(page_id) for key, lang, page_id in rows}


def run(question, lang):
    """The engine's first reply to a question in a new conversation: (kind, detail)."""
    from chatbot.engine import respond

    result = respond({}, question, lang, page_lang=lang)
    intents = result.intents
    if "emergency" in intents or intents[0] not in ("faq", "clarify", "unknown", "fallback"):
        return "other", intents[0]
    return first_answer(result.replies)


def first_answer(replies):
    """(kind, detail) of the first answer-like reply (faq, clarify, unknown)."""
    reply = next((r for r in replies if r.intent in ("faq", "clarify", "unknown", "fallback")), None)
    if reply is None:
        return "other", replies[0].intent if replies else None
    if reply.intent == "faq":
        return "answered", reply.sources[0]["key"]  # an FAQ's key or a page's id
    if reply.intent == "clarify":
        return "clarify", [c["id"] for c in reply.choices]
    return "unknown", None


def after_alarm(question, lang):
    """After an emergency reply with no flow in progress the engine still answers the question
    (a false alarm keeps its help): (kind, detail) of that answer."""
    from chatbot.engine import respond

    return first_answer(respond({}, question, lang, page_lang=lang).replies[1:])


def judge(row, kind, detail, guides):
    key = row["key"]
    if key is None:
        return kind
    guide = guides.get((key, row["lang"]))
    right_ids = {f"faq:{key}"} | ({f"page:{guide}"} if guide else set())
    if kind == "answered":
        return "right" if detail in (key, guide) else "wrong"
    if kind == "clarify":
        return "offered" if right_ids & set(detail) else "offered_other"
    return kind


def features_of(row, guides):
    """What the decision sees for a question (chatbot.engine.lookup), and whether its top hit is
    right: the rows `calibrate` learns from."""
    from chatbot.engine import lookup

    found = lookup.find(row["query"], row["lang"])
    top = found.hits[0] if found.hits else None
    key = row["key"]
    guide = guides.get((key, row["lang"])) if key else None
    top_right = bool(top) and key is not None and (top.key in (key, guide))
    offers = lookup.offers(row["query"], row["lang"])  # what "did you mean" would offer
    in_top3 = key is not None and any(h.key in (key, guide) for h in offers.hits)
    return {
        "query": row["query"],
        "lang": row["lang"],
        "key": key,
        "top": f"{top.kind}:{top.key}" if top else None,
        "top_right": top_right,
        "in_top3": in_top3,
        "offers_relevant": bool(offers.hits) and offers.relevant,
        "features": list(found.features) if getattr(found, "features", None) else None,
        "confidence": found.confidence,
    }


def worker(name, out_path, dump_path):
    with tempfile.TemporaryDirectory(prefix="chat-answers-") as data_dir:
        setup_django(data_dir)
        load_content(name)
        guides = guide_keys()
        results = []
        dump = open(dump_path, "a", encoding="utf-8") if dump_path else None  # noqa: SIM115
        try:
            for row in queries_of(name):
                kind, detail = run(row["query"], row["lang"])
                result = {**row, "outcome": judge(row, kind, detail, guides), "detail": detail}
                if detail == "emergency":  # what follows the numbers (the question answered anyway)
                    result["after_alarm"] = judge(row, *after_alarm(row["query"], row["lang"]), guides)
                results.append(result)
                if dump:
                    dump.write(json.dumps({"set": Path(name).name, **features_of(row, guides)}, ensure_ascii=False))
                    dump.write("\n")
        finally:
            if dump:
                dump.close()
        Path(out_path).write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")


# --- the report --------------------------------------------------------------------------------


def table(title, rows, outcomes):
    print(f"\n{title}")
    width = 8
    print(f"  {'':{width}} {'n':>4}  " + "  ".join(f"{o:>14}" for o in outcomes))
    groups = {"all": rows}
    for lang in sorted({r["lang"] for r in rows}):
        groups[lang] = [r for r in rows if r["lang"] == lang]
    for label, group in groups.items():
        counts = Counter(r["outcome"] for r in group)
        total = len(group)
        cells = [f"{counts[o]:4d} {100 * counts[o] / total:5.1f} %" for o in outcomes] if total else []
        print(f"  {label:{width}} {total:4d}  " + "  ".join(f"{c:>14}" for c in cells))


def report(name, results, verbose):
    label = Path(name).name
    in_scope = [r for r in results if r["key"] is not None]
    out_of_scope = [r for r in results if r["key"] is None]
    if in_scope:
        table(f"{label}: questions with an answer", in_scope, IN_SCOPE)
        n = len(in_scope)
        right = sum(r["outcome"] == "right" for r in in_scope)
        wrong = sum(r["outcome"] == "wrong" for r in in_scope)
        reached = sum(r["outcome"] in ("right", "offered") for r in in_scope)
        print(
            f"  answered right {right / n:.3f}, answered wrong {wrong / n:.3f}, "
            f"right answered or offered {reached / n:.3f}"
        )
        alarms = [r for r in in_scope if "after_alarm" in r]
        if alarms:
            after = Counter(r["after_alarm"] for r in alarms)
            with_after = (reached + after["right"] + after["offered"]) / n
            print(
                f"  emergency replies to answerable questions: {len(alarms)}; after the numbers "
                + ", ".join(f"{o} {after[o]}" for o in IN_SCOPE if after[o])
                + f" (right answered or offered, those counted: {with_after:.3f})"
            )
    if out_of_scope:
        table(f"{label}: out-of-scope questions", out_of_scope, OUT_OF_SCOPE)
        answered = sum(r["outcome"] == "answered" for r in out_of_scope)
        print(f"  out-of-scope answered {answered / len(out_of_scope):.3f}")
    if verbose:
        print(f"\n{label}: not answered right")
        for r in results:
            if r["outcome"] not in ("right", "unknown" if r["key"] is None else "right"):
                print(f"  {r['outcome']:13} [{r['lang']}] {r['query']!r} expected {r['key']}: {r['detail']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", action="append", dest="sets", help=f"'{OURS}' or a directory (repeatable)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every question not answered right")
    parser.add_argument("--dump", help="append each question's decision features to this JSONL file")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.out, args.dump)
        return
    from chatbot.engine.decision import describe

    print(describe())
    for name in args.sets or default_sets():
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            cmd = [sys.executable, __file__, "--worker", name, "--out", out.name]
            if args.dump:
                cmd += ["--dump", args.dump]
            subprocess.run(cmd, check=True, cwd=BASE_DIR)
            results = json.loads(Path(out.name).read_text(encoding="utf-8"))
        report(name, results, args.verbose)


if __name__ == "__main__":
    main()
