"""`manage.py train_answer_decision DUMP.jsonl [...]`: fit the chat's answer decision
(chatbot/engine/decision.py) on labelled questions and write chatbot/engine/decision.json.

The dumps come from `bench/chat_answers.py --dump FILE` (what the real search returned for each
labelled question, with the measures of the engine that wrote them). The penalty is chosen by
grouped cross-validation and the answer threshold on out-of-fold probabilities (folds grouped by
FAQ, so a question is never judged by a model that saw its FAQ's other phrasings). Before
writing, it prints the out-of-fold figures per set and, for each set, the figures of a model
fitted on the other sets only, with the threshold chosen on their out-of-fold probabilities
(what a bureau whose questions the model never saw would get).
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
        parser.add_argument("--l2", type=float, help="L2 penalty (default: chosen by grouped cross-validation)")

    def handle(self, *args, dumps, dry_run, l2, **options):
        rows = []
        for path in dumps:
            try:
                lines = Path(path).read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
            rows += [json.loads(line) for line in lines if line.strip()]
        rows = [r for r in rows if r.get("features")]  # no hit at all: "I don't know" anyway
        stale = [r for r in rows if len(r["features"]) != len(decision.FEATURES)]
        if stale:
            raise CommandError(
                f"{len(stale)} rows have {len(stale[0]['features'])} measures, the engine has "
                f"{len(decision.FEATURES)}: dump again with this code (bench/chat_answers.py --dump)"
            )
        sets = sorted({r["set"] for r in rows})
        if len(rows) < 50:
            raise CommandError(f"only {len(rows)} labelled questions with hits: too few to fit")

        if l2 is None:
            l2 = decision.choose_l2(rows)
        probs = decision.out_of_fold(rows, l2=l2)
        answer_at = decision.choose_threshold(rows, probs)
        self.stdout.write(f"{len(rows)} questions with hits from {', '.join(sets)}; L2 penalty {l2}")
        self.stdout.write(
            f"answer threshold from out-of-fold probabilities: {answer_at} (every set: wrong <= "
            f"{decision.MAX_WRONG}, out of scope answered <= {decision.MAX_OUT_OF_SCOPE})"
        )
        for name in sets:
            subset = [(r, p) for r, p in zip(rows, probs, strict=True) if r["set"] == name]
            self._figures(f"{name}, out of fold", *zip(*subset, strict=True), answer_at)
        if len(sets) > 1:
            for name in sets:
                train = [r for r in rows if r["set"] != name]
                test = [r for r in rows if r["set"] == name]
                threshold = decision.choose_threshold(train, decision.out_of_fold(train, l2=l2))
                m = decision.fitted(train, l2)
                self._figures(
                    f"{name}, fitted on the others (answer at {threshold})",
                    test,
                    [m.probability(r["features"]) for r in test],
                    threshold,
                )

        mean, scale, weights, bias = decision.fit(rows, l2)
        model = decision.Model(mean, scale, weights, bias, answer_at, tuple(sets), l2)
        if dry_run:
            return
        decision.MODEL_FILE.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
        decision.model.cache_clear()
        self.stdout.write(f"wrote {decision.MODEL_FILE}")

    def _figures(self, label, rows, probs, answer_at):
        o = decision.outcomes(list(rows), list(probs), answer_at)
        self.stdout.write(
            f"  {label:48} right {o['right']:.3f}  wrong {o['wrong']:.3f}  "
            f"right answered or offered {o['reached']:.3f}  out of scope answered {o['oos_answered']:.3f}"
        )
