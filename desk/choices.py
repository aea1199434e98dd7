"""Choices of the duty desk: kinds, states, priorities, channels, timeline and audit kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    CONSULTATION = "consultation", pgettext_lazy("inquiry kind", "Consultation")
    COMPLAINT = "complaint", pgettext_lazy("inquiry kind", "Complaint")
    TIP = "tip", pgettext_lazy("inquiry kind", "Tip / report")
    SERVICE = "service", pgettext_lazy("inquiry kind", "Service request")
    SUGGESTION = "suggestion", pgettext_lazy("inquiry kind", "Suggestion")


class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("inquiry status", "New")
    ASSIGNED = "assigned", pgettext_lazy("inquiry status", "Assigned")
    IN_PROGRESS = "in_progress", pgettext_lazy("inquiry status", "In progress")
    REPLIED = "replied", pgettext_lazy("inquiry status", "Replied")
    CLOSED = "closed", pgettext_lazy("inquiry status", "Closed")
    JUNK = "junk", pgettext_lazy("inquiry status", "Junk")


# States in which an inquiry still waits for the bureau (counted as overdue after due_at).
OPEN_STATUSES = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS)
# States the citizen can still write to.
ACTIVE_STATUSES = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.REPLIED)


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    CHAT = "chat", pgettext_lazy("desk", "Chat")


class Lang(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class EntryKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("timeline", "Request received")
    REPLY = "reply", pgettext_lazy("timeline", "Reply")
    CITIZEN_MESSAGE = "citizen_message", pgettext_lazy("timeline", "Message from the citizen")
    NOTE = "note", pgettext_lazy("timeline", "Internal note")
    STATUS = "status", pgettext_lazy("timeline", "Status change")
    TRANSFER = "transfer", pgettext_lazy("timeline", "Transfer")
    ASSIGN = "assign", pgettext_lazy("timeline", "Assignment")
    PRIORITY = "priority", pgettext_lazy("timeline", "Priority change")
    CLOSE = "close", pgettext_lazy("timeline", "Closed")
    REOPEN = "reopen", pgettext_lazy("timeline", "Reopened")
    JUNK = "junk", pgettext_lazy("timeline", "Marked as junk")
    URGENT = "urgent", pgettext_lazy("timeline", "Flagged urgent")
    RATING = "rating", pgettext_lazy("timeline", "Rating")
    NOTIFICATION = "notification", pgettext_lazy("timeline", "Notification")
    ESCALATION = "escalation", pgettext_lazy("timeline", "Escalated to supervisors")
    CASE_FILE = "case_file", pgettext_lazy("timeline", "Case file")
    FOLLOW_UP = "follow_up", pgettext_lazy("timeline", "Rating followed up")
    OVERTURN_JUNK = "overturn_junk", pgettext_lazy("timeline", "Junk marking overturned")


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed personal data")
    CREATE = "create", pgettext_lazy("desk", "Created")
    CLAIM = "claim", _("Claimed")
    ASSIGN = "assign", _("Assigned")
    TRANSFER = "transfer", _("Transferred")
    REPLY = "reply", _("Replied")
    NOTE = "note", _("Added note")
    PRIORITY = "priority", _("Changed priority")
    CLOSE = "close", pgettext_lazy("desk", "Closed")
    REOPEN = "reopen", _("Reopened")
    JUNK = "junk", _("Marked as junk")
    URGENT = "urgent", _("Flagged urgent")
    EXPORT = "export", _("Exported")
    ESCALATE = "escalate", _("Escalated")
    CASE_FILE = "case_file", _("Changed case file")
    ANONYMIZE = "anonymize", _("Anonymised (retention)")
    FOLLOW_UP = "follow_up", _("Recorded a rating follow-up")
    FOLLOW_UP_ESCALATE = "follow_up_escalate", _("Escalated an overdue follow-up")
    OVERTURN_JUNK = "overturn_junk", _("Overturned a junk marking")
    ASSESSMENT = "assessment", _("Viewed the staff assessment")
    COMPLAINT_OUTCOME = "outcome", _("Recorded a complaint outcome")


class DayKind(models.TextChoices):
    """A day in the official holiday schedule (放假调休安排)."""

    HOLIDAY = "holiday", _("Public holiday (no work)")
    WORKDAY = "workday", _("Make-up working day (调休)")


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class NotificationPurpose(models.TextChoices):
    RECEIPT = "receipt", _("Receipt to the citizen")
    REPLY = "reply", _("Reply to the citizen")
    ESCALATION = "escalation", _("Overdue escalation")
    CLOSING = "closing", _("Closing notice with the rating link")
    FOLLOW_UP = "follow_up", _("Follow-up of a bad rating")


# Contact fields per kind: "required" must all be given, "one_of" needs at least one of them.
# Tips and suggestions may be anonymous.
CONTACT_RULES = {
    Kind.CONSULTATION: {"required": [], "one_of": ["phone", "email"]},
    Kind.COMPLAINT: {"required": ["name", "phone"], "one_of": []},
    Kind.TIP: {"required": [], "one_of": []},
    Kind.SERVICE: {"required": ["name", "phone"], "one_of": []},
    Kind.SUGGESTION: {"required": [], "one_of": []},
}

GROUP_DUTY = "Duty staff"
GROUP_SUPERVISORS = "Supervisors"
GROUP_EDITORS = "Editors"


class Satisfaction(models.IntegerChoices):
    """The five levels of the national 政务服务"好差评" rule (5 = best)."""

    VERY_SATISFIED = 5, pgettext_lazy("rating", "Very satisfied")
    SATISFIED = 4, pgettext_lazy("rating", "Satisfied")
    FAIRLY_SATISFIED = 3, pgettext_lazy("rating", "Fairly satisfied")
    DISSATISFIED = 2, pgettext_lazy("rating", "Dissatisfied")
    VERY_DISSATISFIED = 1, pgettext_lazy("rating", "Very dissatisfied")


# A rating at or below this level opens a follow-up task (不满意, 非常不满意).
BAD_RATING_MAX = 2

# The national online indicators, rated as optional 1–5 stars: field name → label.
RATING_INDICATORS = {
    "efficiency": pgettext_lazy("rating indicator", "Efficiency"),
    "guide_accuracy": pgettext_lazy("rating indicator", "Accuracy of the service guide"),
    "convenience": pgettext_lazy("rating indicator", "Convenience"),
    "usability": pgettext_lazy("rating indicator", "Ease of use of the platform"),
}
