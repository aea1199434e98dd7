"""Rebuild the site search index (cms.search) from the database."""

from django.core.management.base import BaseCommand

from cms.search import index


class Command(BaseCommand):
    help = "Rebuild the search index from the database: published FAQs and public pages, both languages."

    def handle(self, *args, **options):
        self.stdout.write(f"Rebuilding the search index in {index.index_dir()}")
        counts = index.rebuild(stdout=self.stdout)
        if not counts:
            self.stdout.write("Nothing to index: no published FAQs or public pages yet.")
