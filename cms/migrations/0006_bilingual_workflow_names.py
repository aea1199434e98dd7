"""The notice moderation workflow and its task were called "Moderators approval" (Wagtail's
default), shown as is in the Chinese admin ("提交给Moderators approval"). Give them the bilingual
names of cms.workflows (names are stored records, not translatable strings). Idempotent."""

from django.db import migrations

LEGACY_NAME = "Moderators approval"
WORKFLOW_NAME = "通知审核 / Notice moderation"
TASK_NAME = "主管审核 / Supervisor approval"


def forwards(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Workflow.objects.filter(name=LEGACY_NAME).update(name=WORKFLOW_NAME)
    Task.objects.filter(name=LEGACY_NAME).update(name=TASK_NAME)


def backwards(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Workflow.objects.filter(name=WORKFLOW_NAME).update(name=LEGACY_NAME)
    Task.objects.filter(name=TASK_NAME).update(name=LEGACY_NAME)


class Migration(migrations.Migration):
    dependencies = [("cms", "0005_block_labels")]

    operations = [migrations.RunPython(forwards, backwards)]
