"""Moderation for notices: Wagtail's "Moderators approval" workflow on every notice index.

Editors submit a notice for moderation; a member of the approving groups (Wagtail's
"Moderators" and, when it exists, the portal's "Supervisors") approves and publishes it or
rejects it with a comment. `seed_demo` calls `ensure_notice_workflow()` after the pages exist.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

WORKFLOW_NAME = "Moderators approval"
TASK_NAME = "Moderators approval"
APPROVER_GROUPS = ("Moderators", "Supervisors")


@transaction.atomic
def ensure_notice_workflow():
    """Make sure every NoticeIndexPage (each locale) uses the moderation workflow; idempotent.
    Returns the workflow."""
    from cms.models import NoticeIndexPage

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
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
    if isinstance(task, GroupApprovalTask):
        groups = Group.objects.filter(name__in=APPROVER_GROUPS)
        missing = [g for g in groups if not task.groups.filter(pk=g.pk).exists()]
        if missing:
            task.groups.add(*missing)

    for index_page in NoticeIndexPage.objects.all():
        WorkflowPage.objects.update_or_create(page=index_page, defaults={"workflow": workflow})
    return workflow
