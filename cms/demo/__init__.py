"""Bilingual demo content for `manage.py seed_demo`: plain Python data, one module per kind.

Each item carries the shared (language-independent) fields plus a "zh" and an "en" dict with the
texts of the Simplified Chinese page and of its English translation. The FAQs live in
faqs.jsonl (loaded with cms.faq_import.import_faqs); faq_links.py maps FAQ keys to guides.

Place names, phone numbers and coordinates are fictional (Sunshine City, 阳光市); procedures,
fees and time limits follow the national rules they cite.
"""

from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent
FAQS_FILE = DEMO_DIR / "faqs.jsonl"
