"""Choices of the duty desk: kinds, states, priorities, channels, timeline and audit kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    COMPLAINT = "complaint", _("Complaint")
    TIP = "tip", _("Tip / report")
    SERVICE = "service", _("Service request")
    SUGGESTION = "suggestion", _("Suggestion")


class Status(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")
    JUNK = "junk", _("Junk")


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
    CHAT = "chat", _("Chat")


class Lang(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class EntryKind(models.TextChoices):
    CREATED = "created", _("Request received")
    REPLY = "reply", _("Reply")
    CITIZEN_MESSAGE = "citizen_message", _("Message from the citizen")
    NOTE = "note", _("Internal note")
    STATUS = "status", _("Status change")
    TRANSFER = "transfer", _("Transfer")
    ASSIGN = "assign", _("Assignment")
    PRIORITY = "priority", _("Priority change")
    CLOSE = "close", _("Closed")
    REOPEN = "reopen", _("Reopened")
    JUNK = "junk", _("Marked as junk")
    URGENT = "urgent", _("Flagged urgent")
    RATING = "rating", _("Rating")
    NOTIFICATION = "notification", _("Notification")
    ESCALATION = "escalation", _("Escalated to supervisors")


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed personal data")
    CREATE = "create", _("Created")
    CLAIM = "claim", _("Claimed")
    ASSIGN = "assign", _("Assigned")
    TRANSFER = "transfer", _("Transferred")
    REPLY = "reply", _("Replied")
    NOTE = "note", _("Added note")
    PRIORITY = "priority", _("Changed priority")
    CLOSE = "close", _("Closed")
    REOPEN = "reopen", _("Reopened")
    JUNK = "junk", _("Marked as junk")
    URGENT = "urgent", _("Flagged urgent")
    EXPORT = "export", _("Exported")
    ESCALATE = "escalate", _("Escalated")


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
