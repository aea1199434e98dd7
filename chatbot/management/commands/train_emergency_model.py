"""Train the emergency model from the labelled messages in the repository and write it to
chatbot/data/emergency_model.npz (see chatbot/emergency_train.py; needs scikit-learn)."""

from django.core.management.base import BaseCommand

from chatbot import emergency_train


class Command(BaseCommand):
    help = (
        "Train the emergency detector's model from the labelled messages (ours and the copy of the "
        "shared development set) and export it as plain arrays; the threshold is chosen out-of-fold."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data",
            nargs="+",
            default=[str(p) for p in emergency_train.DEFAULT_TRAINING],
            help="labelled .jsonl files (or directories holding messages.jsonl)",
        )
        parser.add_argument("--output", default=str(emergency_train.MODEL_PATH))
        parser.add_argument("--folds", type=int, default=5)

    def handle(self, *args, **options):
        summary = emergency_train.train_and_export(options["data"], options["output"], k=options["folds"])
        self.stdout.write(
            f"Wrote {summary['path']}: {summary['messages']} messages, {summary['features']} features, "
            f"threshold {summary['threshold']:.4f} (out-of-fold recall {summary['oof_recall']:.3f}, "
            f"false alarms {summary['oof_false_alarms']:.3f})"
        )
