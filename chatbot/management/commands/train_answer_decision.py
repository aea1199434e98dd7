"""`manage.py train_answer_decision DUMP.jsonl [...]`: fit the chat's answer decision
(chatbot/engine/decision.py) on labelled questions and write chatbot/engine/decision.json.

The dumps come from `bench/chat_answers.py --dump FILE` (what the real search returned for each
labelled question). Before writing, it prints out-of-fold figures (folds grouped by FAQ, so a
question is never judged by a model that saw its FAQ's other phrasings) and, for each set, the
figures of a model fitted on the other sets only.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chatbot.engine import decision


class Command(BaseCommand):
    help = "Fit the chat's answer decision on bench/chat_answers.py --dump files."

    def add_arguments(self, parser):
        parser.add_argument("dumps", nargs="+")
        parser.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")

    def handle(self, *args, dumps, dry_run, **options):
        rows = []
        for path in dumps:
            try:
                lines = Path(path).read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
            rows += [json.loads(line) for line in lines if line.strip()]
        rows = [r for r in rows if r.get("features")]  # no hit at all: "I don't know" anyway
        sets = sorted({r["set"] for r in rows})
        if len(rows) < 50:
            raise CommandError(f"only {len(rows)} labelled questions with hits: too few to fit")

        probs = decision.out_of_fold(rows)
        answer_at, clarify_at = decision.choose_thresholds(rows, probs)
        self.stdout.write(f"{len(rows)} questions with hits from {', '.join(sets)}")
        self.stdout.write(f"thresholds from out-of-fold probabilities: answer {answer_at}, did you mean {clarify_at}")
        for name in sets:
            subset = [(r, p) for r, p in zip(rows, probs, strict=True) if r["set"] == name]
            self._figures(f"{name}, out of fold", *zip(*subset, strict=True), answer_at, clarify_at)
        if len(sets) > 1:
            for name in sets:
                train = [r for r in rows if r["set"] != name]
                test = [r for r in rows if r["set"] == name]
                mean, scale, weights, bias = decision.fit(train)
                m = decision.Model(mean, scale, weights, bias, 1.0, 1.0)
                train_probs = [m.probability(r["features"]) for r in train]
                a, c = decision.choose_thresholds(train, train_probs)
                self._figures(f"{name}, fitted on the others", test, [m.probability(r["features"]) for r in test], a, c)

        mean, scale, weights, bias = decision.fit(rows)
        model = decision.Model(mean, scale, weights, bias, answer_at, clarify_at, tuple(sets))
        if dry_run:
            return
        decision.MODEL_FILE.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
        decision.model.cache_clear()
        self.stdout.write(f"wrote {decision.MODEL_FILE}")

    def _figures(self, label, rows, probs, answer_at, clarify_at):
        o = decision.outcomes(list(rows), list(probs), answer_at, clarify_at)
        self.stdout.write(
            f"  {label:40} right {o['right']:.3f}  wrong {o['wrong']:.3f}  "
            f"right answered or offered {o['reached']:.3f}  out of scope answered {o['oos_answered']:.3f}"
        )
