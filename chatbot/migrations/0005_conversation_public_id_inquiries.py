"""A random public id for staff URLs and sockets, and every request a conversation touched."""

import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    Conversation = apps.get_model("chatbot", "Conversation")
    for conv in Conversation.objects.filter(public_id__isnull=True).only("pk").iterator():
        Conversation.objects.filter(pk=conv.pk).update(public_id=uuid.uuid4())


def link_filed_inquiries(apps, schema_editor):
    Conversation = apps.get_model("chatbot", "Conversation")
    Link = Conversation.inquiries.through
    Link.objects.bulk_create(
        [
            Link(conversation_id=pk, inquiry_id=inquiry_id)
            for pk, inquiry_id in Conversation.objects.filter(inquiry__isnull=False).values_list("pk", "inquiry_id")
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("chatbot", "0004_message_links"),
        ("desk", "0002_inquiry_case_file_anonymized_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="conversation",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="conversation",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="conversation",
            name="inquiries",
            field=models.ManyToManyField(
                blank=True,
                help_text="Every request filed or tracked in this conversation.",
                related_name="touching_conversations",
                to="desk.inquiry",
            ),
        ),
        migrations.RunPython(link_filed_inquiries, migrations.RunPython.noop),
    ]
