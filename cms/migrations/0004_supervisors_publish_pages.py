"""Supervisors approve notices (and home pages) in the "Moderators approval" workflow; approving
publishes the page as the approver, which Wagtail refuses without publish permission ("您无权访问
此区域", the notice stayed in moderation). Grant the Supervisors group publish (not change) on
every home page, as `seed_demo` now does (cms/demo/users.py). Idempotent; no-op where the group
or the pages do not exist yet."""

from django.db import migrations


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    HomePage = apps.get_model("cms", "HomePage")
    group = Group.objects.filter(name="Supervisors").first()
    publish = Permission.objects.filter(content_type__app_label="wagtailcore", codename="publish_page").first()
    if group is None or publish is None:
        return
    for home in HomePage.objects.all():
        GroupPagePermission.objects.get_or_create(group=group, page_id=home.pk, permission=publish)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_rich_text_self_closing_br"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
