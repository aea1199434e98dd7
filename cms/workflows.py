"""Moderation for notices: the "通知审核 / Notice moderation" workflow on every notice index.

Editors submit a notice for moderation; a member of the approving groups (Wagtail's
"Moderators" and, when it exists, the portal's "Supervisors") approves and publishes it or
rejects it with a comment. `seed_demo` calls `ensure_notice_workflow()` after the pages exist.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

# Workflow and task names are records that Wagtail shows as they are in both admin languages
# ("提交给…", "Submit to …"), so they carry both. Wagtail's migrations create the default
# workflow and task as "Moderators approval": it is taken over and renamed.
WORKFLOW_NAME = "通知审核 / Notice moderation"
TASK_NAME = "主管审核 / Supervisor approval"
LEGACY_NAME = "Moderators approval"
APPROVER_GROUPS = ("Moderators", "Supervisors")


@transaction.atomic
def ensure_notice_workflow():
    """Make sure every NoticeIndexPage (each locale) uses the moderation workflow; idempotent.
    Returns the workflow."""
    from cms.models import NoticeIndexPage

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first() or Workflow.objects.filter(name=LEGACY_NAME).first()
    if workflow is not None and workflow.name != WORKFLOW_NAME:
        workflow.name = WORKFLOW_NAME
        workflow.save(update_fields=["name"])
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    elif not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])

    task = None
    workflow_task = WorkflowTask.objects.filter(workflow=workflow).select_related("task").first()
    if workflow_task is not None:
        task = workflow_task.task.specific
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    if task.name == LEGACY_NAME:
        task.name = TASK_NAME
        task.save(update_fields=["name"])
    if isinstance(task, GroupApprovalTask):
        groups = Group.objects.filter(name__in=APPROVER_GROUPS)
        missing = [g for g in groups if not task.groups.filter(pk=g.pk).exists()]
        if missing:
            task.groups.add(*missing)

    for index_page in NoticeIndexPage.objects.all():
        WorkflowPage.objects.update_or_create(page=index_page, defaults={"workflow": workflow})
    return workflow
