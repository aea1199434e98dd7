"""What the chatbot does with citizens' questions: answered (right or wrong), "did you mean"
(with or without the right FAQ among the choices), or "I don't know".

    export PORTAL_DATA_DIR=/tmp/chat-answers
    .venv/bin/python bench/chat_answers.py --setup   # once: migrate, seed_demo, rebuild the index
    .venv/bin/python bench/chat_answers.py [-v]

Every question goes through the real engine (`chatbot.engine.respond`, a new conversation each
time) over the demo site: the labelled citizen queries of the search team
(tests/data/search_queries.jsonl, each with the FAQ it should find) and questions no demo FAQ
answers (tests/chatbot/engine_out_of_scope.jsonl, the set the thresholds were first calibrated
on, and tests/data/chat_out_of_scope.jsonl, written later as a check).

A direct answer with a page counts as right when the page is the service guide of the expected
FAQ (FAQ.related_guide); any other page counts as wrong. Questions the engine routes elsewhere
before searching (an emergency, a request, small talk) are counted as "other". Runs with the dev
settings on PORTAL_DATA_DIR (DEBUG off unless set); see docs/chatbot.md ("Thresholds").
"""

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

LABELLED = BASE_DIR / "tests" / "data" / "search_queries.jsonl"
OUT_OF_SCOPE = [
    BASE_DIR / "tests" / "chatbot" / "engine_out_of_scope.jsonl",
    BASE_DIR / "tests" / "data" / "chat_out_of_scope.jsonl",
]
LABELLED_OUTCOMES = ("right", "wrong", "clarify_right", "clarify_other", "unknown", "other")
OUT_OF_SCOPE_OUTCOMES = ("answered", "clarify", "unknown", "other")


def setup_django():
    if not os.environ.get("PORTAL_DATA_DIR"):
        sys.exit("Set PORTAL_DATA_DIR to the demo data directory (see the docstring).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()


def build_demo():
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", no_users=True)
    call_command("rebuild_search_index")


def load(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def guide_keys():
    """(FAQ key, language) → the key of its service guide page in the index (the page id)."""
    from cms.models import FAQ

    rows = FAQ.objects.filter(live=True, related_guide__isnull=False).values_list(
        "key", "locale__language_code", "related_guide_id"
    )
    return {(key, lang): str(page_id) for key, lang, page_id in rows}


def run(question, lang):
    """The engine's replies to one question in a new conversation: (kind, detail) where kind is
    answered / clarify / unknown / other and detail the answer's source id or the choice ids."""
    from chatbot.engine import respond

    result = respond({}, question, lang, page_lang=lang)
    intents = result.intents
    if "emergency" in intents or intents[0] not in ("faq", "clarify", "unknown", "fallback"):
        return "other", intents
    reply = result.replies[0]
    if reply.intent == "faq":
        return "answered", reply.sources[0]["key"]  # an FAQ's key or a page's id
    if reply.intent == "clarify":
        return "clarify", [c["id"] for c in reply.choices]
    return "unknown", None


def judge(row, kind, detail, guides):
    """The outcome of a labelled question."""
    key = row["key"]
    right_ids = {f"faq:{key}"}
    guide = guides.get((key, row["lang"]))
    if guide:
        right_ids.add(f"page:{guide}")
    if kind == "answered":
        return "right" if detail in (key, guide) else "wrong"
    if kind == "clarify":
        return "clarify_right" if right_ids & set(detail) else "clarify_other"
    return kind


def confidence_of(question, lang):
    """The confidence and top hits the engine judged by (chatbot.engine.lookup, as it answers)."""
    from chatbot.engine import lookup

    found = lookup.find(question, lang)
    return found.confidence, [(h.kind[0] + ":" + h.key, round(h.score, 1)) for h in found.hits[:3]]


def line(label, counter, outcomes, width):
    """One table row: the count and share of each outcome."""
    total = sum(counter.values())
    cells = [f"{counter[o]:4d} {100 * counter[o] / total:5.1f} %" if total else "0" for o in outcomes]
    return f"  {label:{width}} {total:4d}  " + "  ".join(f"{cell:>13}" for cell in cells)


def header(outcomes, width):
    return f"  {'':{width}} {'n':>4}  " + "  ".join(f"{o:>13}" for o in outcomes)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--setup", action="store_true", help="migrate, seed the demo site and build the index")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every question not answered right")
    args = parser.parse_args()
    setup_django()
    if args.setup:
        build_demo()
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    from chatbot.engine import answer

    guides = guide_keys()
    labelled = load(LABELLED)
    out_of_scope = [(path, load(path)) for path in OUT_OF_SCOPE]
    print(f"thresholds: answer >= {answer.ANSWER}, did you mean >= {answer.CLARIFY}")

    counts = {"all": Counter(), "zh-hans": Counter(), "en": Counter()}
    misses = []
    for row in labelled:
        kind, detail = run(row["q"], row["lang"])
        outcome = judge(row, kind, detail, guides)
        counts["all"][outcome] += 1
        counts[row["lang"]][outcome] += 1
        if outcome != "right":
            misses.append((outcome, row))
    print(f"\nlabelled citizen queries ({LABELLED.relative_to(BASE_DIR)}):")
    print(header(LABELLED_OUTCOMES, 8))
    for lang, counter in counts.items():
        print(line(lang, counter, LABELLED_OUTCOMES, 8))

    print("\nout-of-scope questions:")
    print(header(OUT_OF_SCOPE_OUTCOMES, 40))
    total_counter = Counter()
    oos_misses = []
    for path, rows in out_of_scope:
        counter = Counter()
        for row in rows:
            kind, _detail = run(row["q"], row["lang"])
            counter[kind] += 1
            if kind != "unknown":
                oos_misses.append((kind, row))
        total_counter.update(counter)
        print(line(str(path.relative_to(BASE_DIR)), counter, OUT_OF_SCOPE_OUTCOMES, 40))
    print(line("all", total_counter, OUT_OF_SCOPE_OUTCOMES, 40))

    if args.verbose:
        print("\nlabelled queries not answered right (confidence, top 3 hits):")
        for outcome, row in sorted(misses, key=lambda m: m[0]):
            conf, top = confidence_of(row["q"], row["lang"])
            print(f"  {outcome:13} {conf:5.3f} [{row['lang']}] {row['q']!r} expected {row['key']}: {top}")
        print('\nout-of-scope questions not answered "I don\'t know":')
        for kind, row in oos_misses:
            conf, top = confidence_of(row["q"], row["lang"])
            print(f"  {kind:13} {conf:5.3f} [{row['lang']}] {row['q']!r}: {top}")
    return counts, total_counter


if __name__ == "__main__":
    main()
