"""`manage.py import_faqs FILE.jsonl`: upsert and publish FAQs (see cms.faq_import)."""

from django.core.management.base import BaseCommand, CommandError

from cms.faq_import import FAQImportError, import_faqs


class Command(BaseCommand):
    help = "Import FAQs from a JSON Lines file (one FAQ per line, all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="JSONL file: key, lang, category, question, answer[, paraphrases]")

    def handle(self, *args, path, **options):
        try:
            import_faqs(path, stdout=self.stdout)
        except FAQImportError as exc:
            raise CommandError(f"{exc} (nothing was imported)") from exc
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
