"""Rich text written with an HTML-style `<br>` (the demo notice "关于2026阳光马拉松赛期间实施交通管制的通告"
did) cannot be opened in Wagtail's editor: the Draftail converter waits for a `</br>` and fails
with "Unmatched tags: expected br, got p" (HTTP 500 on the edit page). Wagtail itself writes
`<br/>`; rewrite stored rich text (pages, their revisions, FAQs) to that form. Idempotent."""

import re

from django.db import migrations

BR = re.compile(r"<br\s*>", re.IGNORECASE)

# (model, fields that hold rich text, directly or inside a StreamField)
RICH_TEXT = [
    ("NoticePage", ["body"]),
    ("StandardPage", ["body"]),
    ("ServiceGuidePage", ["eligibility", "legal_basis", "materials", "steps"]),
    ("FAQ", ["answer"]),
]


def fix(value):
    """`value` (a string or JSON-like structure) with every `<br>` written `<br/>`."""
    if isinstance(value, str):
        return BR.sub("<br/>", value)
    if isinstance(value, list):
        return [fix(item) for item in value]
    if isinstance(value, dict):
        return {key: fix(item) for key, item in value.items()}
    return value


def raw(value):
    """A StreamField's stored JSON (list of blocks), or a plain field's value."""
    if hasattr(value, "raw_data"):
        return [dict(block) for block in value.raw_data]
    return value


def forwards(apps, schema_editor):
    for model_name, fields in RICH_TEXT:
        model = apps.get_model("cms", model_name)
        for obj in model.objects.all().iterator():
            changes = {}
            for field in fields:
                before = raw(getattr(obj, field))
                after = fix(before)
                if after != before:
                    changes[field] = after
            if changes:
                model.objects.filter(pk=obj.pk).update(**changes)
    Revision = apps.get_model("wagtailcore", "Revision")
    for revision in Revision.objects.filter(content__icontains="<br").iterator():
        content = fix(revision.content)
        if content != revision.content:
            Revision.objects.filter(pk=revision.pk).update(content=content)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_bureausettings_address_en"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
