"""`import_faqs`: upsert and publish FAQs from JSON Lines, all or nothing."""

import json
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Locale, Revision

from cms.faq_import import FAQImportError, ImportResult, import_faqs
from cms.models import FAQ, FAQCategory


def line(**fields):
    base = {"key": "id-card-lost", "lang": "zh-hans", "category": "id-card", "question": "身份证丢了怎么办？"}
    base["answer"] = "请先挂失，再补领。"
    base.update(fields)
    return json.dumps({k: v for k, v in base.items() if v is not None}, ensure_ascii=False)


VALID = [
    line(paraphrases=["身份证丢失怎么补办", "身份证被偷了"]),
    line(lang="en", question="I lost my ID card. What now?", answer="<p>Report the loss, then <b>apply</b>.</p>"),
    line(key="passport-fee", category="exit-entry", question="护照多少钱？", answer="120 元。\n\n可以网上缴费。"),
]


def write(tmp_path, lines):
    path = tmp_path / "faqs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.django_db
def test_valid_file_creates_published_faqs_and_translations(tmp_path):
    """A valid file creates published FAQs; the same key in two languages is one FAQ and its
    translation; categories are created per language and linked too."""
    result = import_faqs(write(tmp_path, VALID))
    assert result == ImportResult(created=3, updated=0, unchanged=0)
    zh = FAQ.objects.get(key="id-card-lost", locale__language_code="zh-hans")
    en = FAQ.objects.get(key="id-card-lost", locale__language_code="en")
    assert zh.live and en.live and zh.live_revision_id and en.live_revision_id
    assert zh.translation_key == en.translation_key
    assert en in zh.get_translations()
    assert zh.paraphrase_list == ["身份证丢失怎么补办", "身份证被偷了"]
    assert zh.category.slug == "id-card" and en.category.slug == "id-card"
    assert zh.category.translation_key == en.category.translation_key
    assert zh.category.locale.language_code == "zh-hans" and en.category.locale.language_code == "en"


@pytest.mark.django_db
def test_plain_text_becomes_paragraphs_and_html_is_sanitized(tmp_path):
    import_faqs(
        [
            line(answer="第一段\n第二行\n\n第二段 <3"),
            line(lang="en", answer='<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:x">l</a></p>'),
        ]
    )
    zh = FAQ.objects.get(locale__language_code="zh-hans")
    assert zh.answer == "<p>第一段<br>第二行</p>\n\n<p>第二段 &lt;3</p>"
    en = FAQ.objects.get(locale__language_code="en")
    assert "script" not in en.answer and "onclick" not in en.answer and "javascript" not in en.answer
    assert en.answer.startswith("<p>Hi")


@pytest.mark.django_db
def test_translation_linked_whatever_order(tmp_path):
    """English first, then Chinese in a later import: still one FAQ and its translation."""
    import_faqs([line(lang="en", question="Lost ID?", answer="Apply again.")])
    import_faqs([line()])
    faqs = FAQ.objects.filter(key="id-card-lost")
    assert faqs.count() == 2
    assert len({f.translation_key for f in faqs}) == 1


@pytest.mark.django_db
def test_reimport_is_idempotent(tmp_path):
    """Importing the same file again changes nothing: all unchanged, no new revisions."""
    path = write(tmp_path, VALID)
    import_faqs(path)
    revisions = Revision.objects.count()
    assert import_faqs(path) == ImportResult(created=0, updated=0, unchanged=3)
    assert Revision.objects.count() == revisions


@pytest.mark.django_db
def test_changed_line_updates_and_republishes(tmp_path):
    import_faqs(VALID)
    faq = FAQ.objects.get(key="passport-fee")
    old_revision = faq.live_revision_id
    result = import_faqs([*VALID[:2], line(key="passport-fee", category="exit-entry", question="护照费用是多少？")])
    assert result == ImportResult(created=0, updated=1, unchanged=2)
    faq.refresh_from_db()
    assert faq.question == "护照费用是多少？" and faq.live and faq.live_revision_id != old_revision


@pytest.mark.django_db
def test_unpublished_faq_is_published_again(tmp_path):
    """An FAQ an editor unpublished counts as updated and is published again."""
    import_faqs(VALID[:1])
    faq = FAQ.objects.get()
    faq.unpublish()
    assert import_faqs(VALID[:1]) == ImportResult(created=0, updated=1, unchanged=0)
    faq.refresh_from_db()
    assert faq.live


@pytest.mark.django_db
def test_missing_locales_are_created():
    Locale.objects.filter(language_code="en").delete()
    import_faqs(VALID[1:2])
    assert Locale.objects.filter(language_code="en").exists()


@pytest.mark.django_db
def test_existing_category_is_reused_and_named(tmp_path):
    zh = Locale.objects.get(language_code="zh-hans")
    existing = FAQCategory.objects.create(slug="id-card", name="身份证", locale=zh, translation_key=uuid.uuid4())
    import_faqs([line(), line(key="b", category_name="户籍与身份证")])
    assert FAQCategory.objects.filter(locale=zh).count() == 1
    existing.refresh_from_db()
    assert existing.name == "户籍与身份证"
    assert FAQ.objects.get(key="id-card-lost").category == existing


LONG = "长" * 301
BAD_LINES = [
    ("{not json", "invalid JSON"),
    ("[1, 2]", "not a JSON object"),
    ('"text"', "not a JSON object"),
    (line(question=None), "missing field 'question'"),
    (line(answer=None), "missing field 'answer'"),
    (line(key=None), "missing field 'key'"),
    (line(category=None), "missing field 'category'"),
    (line(lang=None), "missing field 'lang'"),
    (line(question="   "), "field 'question' is empty"),
    (line(answer=""), "field 'answer' is empty"),
    (line(answer="<script>x</script>"), "empty after sanitizing"),
    (line(question=5), "field 'question' must be a string"),
    (line(lang="fr"), "unknown lang 'fr'"),
    (line(key="身份证"), "field 'key' must be a slug"),
    (line(key="a b"), "field 'key' must be a slug"),
    (line(category="a/b"), "field 'category' must be a slug"),
    (line(question=LONG), "field 'question' is longer than 300"),
    (line(key="k" * 101), "field 'key' is longer than 100"),
    (line(paraphrases="one"), "must be a list of strings"),
    (line(paraphrases=["ok", 3]), "must be a list of strings"),
    (line(paraphrases=[LONG]), "paraphrase is longer than 300"),
    (line(extra="x"), "unknown field 'extra'"),
    (VALID[0], "duplicate key 'id-card-lost' for lang zh-hans (first on line 1)"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("bad", "reason"), BAD_LINES)
def test_invalid_line_aborts_with_line_number_and_writes_nothing(tmp_path, bad, reason):
    """Any invalid line aborts the whole import: nothing is written, the error names the line."""
    lines = [VALID[0], "", VALID[2], bad]  # the bad line is line 4 (blank lines are counted)
    with pytest.raises(FAQImportError) as excinfo:
        import_faqs(write(tmp_path, lines))
    assert excinfo.value.line_number == 4
    assert reason in excinfo.value.reason
    assert str(excinfo.value).startswith("line 4: ")
    assert not FAQ.objects.exists()
    assert not FAQCategory.objects.exists()


@pytest.mark.django_db
def test_failed_import_keeps_earlier_content_unchanged(tmp_path):
    import_faqs(VALID)
    before = list(FAQ.objects.order_by("pk").values_list("question", "answer", "live_revision_id"))
    changed = line(question="新的问题？")
    with pytest.raises(FAQImportError):
        import_faqs([changed, line(lang="xx")])
    assert list(FAQ.objects.order_by("pk").values_list("question", "answer", "live_revision_id")) == before


@pytest.mark.django_db
def test_command_reports_counts_and_fails_with_line_number(tmp_path, capsys):
    """`manage.py import_faqs` prints the counts; on a bad line it exits non-zero naming it."""
    from io import StringIO

    out = StringIO()
    call_command("import_faqs", str(write(tmp_path, VALID)), stdout=out)
    assert "3 created, 0 updated, 0 unchanged" in out.getvalue()
    bad = write(tmp_path, [VALID[0], "{oops"])
    with pytest.raises(CommandError, match=r"line 2: invalid JSON"):
        call_command("import_faqs", str(bad), stdout=StringIO())
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_faqs", str(tmp_path / "missing.jsonl"), stdout=StringIO())


def test_command_exit_status_is_nonzero(tmp_path):
    """Run as a real process: a bad file gives exit status 1 and the reason on stderr."""
    import subprocess
    import sys

    from tests.conftest import BASE_DIR

    bad = write(tmp_path, ['{"key": "a"}'])
    proc = subprocess.run(
        [sys.executable, "manage.py", "import_faqs", str(bad)],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"},
        timeout=120,
    )
    assert proc.returncode == 1
    assert "line 1: missing field 'lang'" in proc.stderr
