"""Import FAQs from JSON Lines: one object per line (see docs/content.md).

    {"key": "id-card-lost", "lang": "zh-hans", "category": "id-card",
     "question": "…", "answer": "…", "paraphrases": ["…", "…"]}

Required: `key` (slug, shared by the translations), `lang` (zh-hans or en), `category` (slug;
created in that language if missing and linked to the same slug in the other language),
`question`, `answer` (plain text becomes paragraphs; HTML is sanitized with
portal.sanitize.clean_html). Optional: `paraphrases` (list of strings), `category_name` (the
category's display name; the slug when a new category has none).

The same key in both languages is one FAQ and its translation (a shared translation_key),
whichever line comes first. Each key+lang is upserted and published; an FAQ whose content has
not changed is left alone (no new revision), so importing the same file twice reports
everything unchanged the second time.

All or nothing: every line is validated before anything is written, and the writes run in one
transaction. The first invalid line raises FAQImportError(line_number, reason).
"""

import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from wagtail.models import Locale

from portal.sanitize import clean_html, clean_text, text_to_html

LANGS = ("zh-hans", "en")
KEY_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
HTML_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
MAX_LENGTHS = {"key": 100, "lang": 20, "category": 80, "category_name": 80, "question": 300, "answer": 20000}
MAX_PARAPHRASES = 50
MAX_PARAPHRASE_LENGTH = 300
REQUIRED = ("key", "lang", "category", "question", "answer")
OPTIONAL = ("paraphrases", "category_name")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


class FAQImportError(Exception):
    """An invalid line: nothing was written."""

    def __init__(self, line_number, reason):
        self.line_number = line_number
        self.reason = reason
        super().__init__(f"line {line_number}: {reason}")


@dataclass
class FAQRecord:
    line_number: int
    key: str
    lang: str
    category: str
    category_name: str
    question: str
    answer: str
    paraphrases: str


def answer_to_html(answer):
    """HTML answers are sanitized; plain text becomes escaped paragraphs."""
    if HTML_RE.search(answer):
        return clean_html(answer).strip()
    return text_to_html(answer)


def parse_line(line_number, line):
    """Validate one line; returns a FAQRecord or raises FAQImportError."""
    try:
        data = json.loads(line)
    except ValueError as exc:
        raise FAQImportError(line_number, f"invalid JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise FAQImportError(line_number, "not a JSON object")
    unknown = sorted(set(data) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise FAQImportError(line_number, f"unknown field {unknown[0]!r}")
    values = {}
    for name in (*REQUIRED, "category_name"):
        if name not in data:
            if name in REQUIRED:
                raise FAQImportError(line_number, f"missing field {name!r}")
            values[name] = ""
            continue
        value = data[name]
        if not isinstance(value, str):
            raise FAQImportError(line_number, f"field {name!r} must be a string")
        value = clean_text(value)
        if not value and name in REQUIRED:
            raise FAQImportError(line_number, f"field {name!r} is empty")
        if len(value) > MAX_LENGTHS[name]:
            raise FAQImportError(line_number, f"field {name!r} is longer than {MAX_LENGTHS[name]} characters")
        values[name] = value
    lang = values["lang"].lower()
    if lang not in LANGS:
        raise FAQImportError(line_number, f"unknown lang {values['lang']!r} (expected zh-hans or en)")
    for name in ("key", "category"):
        if not KEY_RE.match(values[name]):
            raise FAQImportError(line_number, f"field {name!r} must be a slug (letters, digits, - and _)")
    paraphrases = data.get("paraphrases", [])
    if not isinstance(paraphrases, list) or not all(isinstance(p, str) for p in paraphrases):
        raise FAQImportError(line_number, "field 'paraphrases' must be a list of strings")
    if len(paraphrases) > MAX_PARAPHRASES:
        raise FAQImportError(line_number, f"more than {MAX_PARAPHRASES} paraphrases")
    cleaned = []
    for p in paraphrases:
        p = " ".join(clean_text(p).split())
        if len(p) > MAX_PARAPHRASE_LENGTH:
            raise FAQImportError(line_number, f"a paraphrase is longer than {MAX_PARAPHRASE_LENGTH} characters")
        if p and p not in cleaned:
            cleaned.append(p)
    answer = answer_to_html(values["answer"])
    if not answer:
        raise FAQImportError(line_number, "field 'answer' is empty after sanitizing")
    return FAQRecord(
        line_number=line_number,
        key=values["key"],
        lang=lang,
        category=values["category"],
        category_name=values["category_name"],
        question=" ".join(values["question"].split()),
        answer=answer,
        paraphrases="\n".join(cleaned),
    )


def read_lines(path_or_lines):
    if isinstance(path_or_lines, str | Path):
        with open(path_or_lines, encoding="utf-8-sig") as fh:
            return fh.read().splitlines()
    return [line.rstrip("\r\n") for line in path_or_lines]


def parse(path_or_lines):
    """All records of a file, validated; raises FAQImportError at the first bad line."""
    records = []
    seen = {}
    for number, line in enumerate(read_lines(path_or_lines), start=1):
        if not line.strip():
            continue
        record = parse_line(number, line)
        ident = (record.key, record.lang)
        if ident in seen:
            raise FAQImportError(
                number, f"duplicate key {record.key!r} for lang {record.lang} (first on line {seen[ident]})"
            )
        seen[ident] = number
        records.append(record)
    return records


def ensure_locales():
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGS}


def get_category(record, locale):
    """The category with this slug in this locale, created (and linked to its other-language
    twin by translation_key) when missing."""
    from cms.models import FAQCategory

    category = FAQCategory.objects.filter(slug=record.category, locale=locale).first()
    if category is None:
        twin = FAQCategory.objects.filter(slug=record.category).exclude(locale=locale).first()
        category = FAQCategory.objects.create(
            slug=record.category,
            locale=locale,
            name=record.category_name or record.category,
            translation_key=twin.translation_key if twin else uuid.uuid4(),
        )
    elif record.category_name and category.name != record.category_name:
        category.name = record.category_name
        category.save(update_fields=["name"])
    return category


def upsert(record, locale):
    """Create, update or leave one FAQ; returns "created", "updated" or "unchanged"."""
    from cms.models import FAQ

    category = get_category(record, locale)
    fields = {
        "question": record.question,
        "answer": record.answer,
        "paraphrases": record.paraphrases,
        "category_id": category.id,
    }
    faq = FAQ.objects.filter(key=record.key, locale=locale).first()
    if faq is None:
        twin = FAQ.objects.filter(key=record.key).exclude(locale=locale).first()
        faq = FAQ(key=record.key, locale=locale, translation_key=twin.translation_key if twin else uuid.uuid4())
        outcome = "created"
    elif (
        all(getattr(faq, name) == value for name, value in fields.items())
        and faq.live
        and not faq.has_unpublished_changes
    ):
        return "unchanged"
    else:
        outcome = "updated"
    for name, value in fields.items():
        setattr(faq, name, value)
    if outcome == "created":
        faq.live = False
    faq.save()
    faq.save_revision().publish()
    return outcome


def import_faqs(path_or_lines, stdout=None):
    """Import a JSONL file (a path, or an iterable of lines). Returns an ImportResult; raises
    FAQImportError with the first bad line's number and reason, having written nothing."""
    records = parse(path_or_lines)
    result = ImportResult()
    with transaction.atomic():
        locales = ensure_locales()
        for record in records:
            outcome = upsert(record, locales[record.lang])
            setattr(result, outcome, getattr(result, outcome) + 1)
            if stdout is not None and outcome != "unchanged":
                stdout.write(f"{outcome}: {record.key} [{record.lang}]\n")
    if stdout is not None:
        stdout.write(f"FAQs: {result}\n")
    return result
