"""Models of the duty desk: departments, categories, routing, inquiries and their history.

State changes go through `desk.actions` only (validation, permissions, timeline, audit log,
events after commit). The models here hold data and small read-only helpers.
"""

import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from .choices import (
    AuditAction,
    Channel,
    DayKind,
    EntryKind,
    Kind,
    Lang,
    NotificationChannel,
    NotificationPurpose,
    NotificationStatus,
    Priority,
    Satisfaction,
    Status,
)


def _localized(obj):
    lang = (get_language() or "zh-hans").lower()
    if lang.startswith("en"):
        return obj.name_en or obj.name_zh
    return obj.name_zh or obj.name_en


class Department(models.Model):
    """A unit of the bureau that answers inquiries; Duty staff belong to one or more."""

    slug = models.SlugField(unique=True, help_text=_("Stable identifier used in URLs and rules."))
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    is_supervision = models.BooleanField(
        _("supervision (督察) department"),
        default=False,
        help_text=_("Complaints about police conduct always go here and are invisible to other departments."),
    )
    is_default = models.BooleanField(
        _("default department"), default=False, help_text=_("Receives inquiries that no routing rule matches.")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="desk_departments",
        verbose_name=_("members"),
        help_text=_("Duty staff who see and answer this department's inquiries."),
    )
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="desk_supervised_departments",
        verbose_name=_("department supervisors"),
        help_text=_("Call back citizens who rated a request of this department as dissatisfied, and record the fix."),
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return _localized(self)


class Category(models.Model):
    """What an inquiry is about (e.g. ID card, traffic fines); optionally only for one kind."""

    slug = models.SlugField(unique=True, help_text=_("Stable identifier used by the API."))
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        blank=True,
        help_text=_("Leave empty if the category applies to every kind of request."),
    )
    is_police_conduct = models.BooleanField(
        _("police conduct"),
        default=False,
        help_text=_("Complaints in this category go to the supervision department, whatever the routing rules say."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("offered to citizens"), default=True)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = pgettext_lazy("desk", "category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return _localized(self)

    def allows_kind(self, kind):
        return not self.kind or self.kind == kind


class RoutingRule(models.Model):
    """Kind + category → department. Empty kind or category means "any"; the most specific wins."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, verbose_name=pgettext_lazy("desk", "category")
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, verbose_name=_("department"))

    class Meta:
        ordering = ["kind", "category__slug"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "category"], name="desk_routingrule_unique_kind_category"),
        ]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self):
        kind = self.get_kind_display() if self.kind else _("any kind")
        category = self.category or _("any category")
        return f"{kind} / {category} → {self.department}"


class ResponseTimeLimit(models.Model):
    """Working days within which the bureau answers; empty kind or category means "any"."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, verbose_name=pgettext_lazy("desk", "category")
    )
    working_days = models.PositiveSmallIntegerField(
        _("working days"), help_text=_("Chinese public holidays and make-up workdays are taken into account.")
    )

    class Meta:
        ordering = ["kind", "category__slug"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "category"], name="desk_timelimit_unique_kind_category"),
        ]
        verbose_name = _("response time limit")
        verbose_name_plural = _("response time limits")

    def __str__(self):
        kind = self.get_kind_display() if self.kind else _("any kind")
        category = self.category or _("any category")
        return f"{kind} / {category}: {self.working_days}"


class HolidaySchedule(ClusterableModel):
    """One year's official holidays and make-up working days (the State Council's 放假调休安排),
    entered by staff each year (prefilled from the `chinesecalendar` package where it knows the
    year: `manage.py desk_holidays`). Deadlines and stations' opening hours use it; any other
    day is a working day from Monday to Friday."""

    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("Enter every public holiday and make-up working day of this year."),
    )
    note = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("Where the schedule comes from, e.g. the notice's number.")
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("holiday schedule")
        verbose_name_plural = _("holiday schedules")

    def __str__(self):
        return str(self.year)


class HolidayDate(Orderable):
    """A public holiday, or a weekend day that is an official working day, in one schedule."""

    schedule = ParentalKey(HolidaySchedule, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices, default=DayKind.HOLIDAY)
    name = models.CharField(_("holiday"), max_length=60, blank=True, help_text=_("e.g. 春节, National Day"))

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["schedule", "date"], name="desk_holidaydate_unique_day")]
        verbose_name = _("holiday or make-up day")
        verbose_name_plural = _("holidays and make-up days")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    def clean(self):
        super().clean()
        schedule = getattr(self, "schedule", None)
        if schedule is not None and schedule.year and self.date and self.date.year != schedule.year:
            raise ValidationError({"date": _("This date is not in %(year)s.") % {"year": schedule.year}})


class ReferenceCounter(models.Model):
    """One row per year; incremented under a row lock to allocate YG-YYYY-NNNNNN references."""

    year = models.PositiveIntegerField(primary_key=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.value}"


def hash_access_code(code, salt):
    """HMAC-SHA256 of the normalized code keyed by the row's random salt (hex)."""
    return hmac.new(salt.encode(), normalize_access_code(code).encode(), hashlib.sha256).hexdigest()


def normalize_access_code(code):
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


class InquiryQuerySet(models.QuerySet):
    def open(self):
        from .choices import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())

    def counted(self):
        """Everything that counts in statistics (junk is kept but excluded)."""
        return self.exclude(status=Status.JUNK)


# A reference number as citizens see it: YG-<year>-<serial of six or more digits>.
REFERENCE_RE = re.compile(r"^YG-(\d{4})-(\d{6,})$")


class Inquiry(models.Model):
    """A citizen's request (consultation, complaint, tip, service request, suggestion)."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    access_code_salt = models.CharField(max_length=32, editable=False)
    access_code_hash = models.CharField(max_length=64, editable=False)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, verbose_name=pgettext_lazy("desk", "category"))
    subject = models.CharField(pgettext_lazy("desk", "subject"), max_length=200)
    description = models.TextField(pgettext_lazy("desk", "description"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    event_time = models.DateTimeField(_("time of the event"), null=True, blank=True)

    name = models.CharField(pgettext_lazy("person", "name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    lang = models.CharField(
        pgettext_lazy("desk", "preferred language"), max_length=10, choices=Lang.choices, default=Lang.ZH_HANS
    )
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    urgent = models.BooleanField(_("urgent"), default=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    confidential = models.BooleanField(
        _("confidential"), default=False, help_text=_("A complaint about police conduct: supervision only.")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("department")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="desk_assigned",
        verbose_name=_("assignee"),
    )

    created_at = models.DateTimeField(_("filed at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    due_at = models.DateTimeField(_("due"), db_index=True)
    first_reply_at = models.DateTimeField(_("first reply at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    client_address = models.CharField(
        _("client address"),
        max_length=64,
        blank=True,
        help_text=_("Kept for abuse handling, like the access log: cleared after 6 months."),
    )
    case_file = models.BooleanField(
        _("part of a case file"),
        default=False,
        help_text=_("Kept under the case-file rules: never anonymised by the retention job."),
    )
    anonymized_at = models.DateTimeField(
        _("anonymised at"),
        null=True,
        blank=True,
        help_text=_("When the retention job removed the personal data (3 years after closing)."),
    )

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [models.Index(fields=["department", "status"])]

    def __str__(self):
        return f"{self.reference} {self.subject}"

    def set_access_code(self, code):
        self.access_code_salt = secrets.token_hex(16)
        self.access_code_hash = hash_access_code(code, self.access_code_salt)

    def check_access_code(self, code):
        return hmac.compare_digest(hash_access_code(code, self.access_code_salt), self.access_code_hash)

    @property
    def is_overdue(self):
        return self.is_overdue_at(timezone.now())

    def is_overdue_at(self, now):
        from .choices import OPEN_STATUSES

        return self.status in OPEN_STATUSES and self.due_at is not None and self.due_at < now

    @property
    def public_status(self):
        """The status a citizen sees: junk shows as closed."""
        return Status.CLOSED if self.status == Status.JUNK else self.status

    def get_public_status_display(self):
        return Status(self.public_status).label

    @property
    def has_contact(self):
        return bool(self.email or self.phone)


class TimelineEntry(models.Model):
    """One event in an inquiry's history; public entries are shown to the citizen."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    public = models.BooleanField(_("shown to the citizen"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    text = models.TextField(_("text"), blank=True, help_text=_("Plain text, sanitized."))
    public_reason = models.TextField(_("public reason"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    # The hash chain (desk.integrity, docs/audit-log.md): set when the row is added, never changed.
    chain_seq = models.PositiveBigIntegerField(null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(max_length=64, blank=True, editable=False)
    seal = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self):
        return f"{self.inquiry_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self._state.adding:  # every new entry takes its place in the hash chain
            from . import integrity

            integrity.append(self, lambda: super(TimelineEntry, self).save(*args, **kwargs), kwargs.get("using"))
            return
        super().save(*args, **kwargs)

    @property
    def by_citizen(self):
        return self.kind in (EntryKind.CITIZEN_MESSAGE, EntryKind.CREATED, EntryKind.RATING)


class AppendOnlyQuerySet(models.QuerySet):
    # The one exception (desk.retention): personal data in entries past their retention period
    # is blanked; who did what to which inquiry, and when, stays.
    REDACTABLE = frozenset({"client_address", "detail"})

    def update(self, **kwargs):
        raise PermissionError("the audit log is append-only")

    def delete(self):
        raise PermissionError("the audit log is append-only")

    def redact(self, *fields):
        """Blank `fields` (only client_address and detail) of these entries; returns how many.
        Through the chain's retention path, which keeps the hash chain valid (desk.integrity)."""
        if not fields or not set(fields) <= self.REDACTABLE:
            raise PermissionError("only the client address and the detail of an audit entry can be blanked")
        from . import integrity

        return integrity.redact(self, fields)

    def bulk_create(self, objs, *args, **kwargs):
        # Each entry takes its place in the hash chain one by one.
        objs = list(objs)
        for obj in objs:
            obj.save(using=self.db)
        return objs


class AuditLog(models.Model):
    """Append-only record of every staff action and every view of personal data."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    username = models.CharField(_("user"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    inquiry = models.ForeignKey(Inquiry, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit")
    reference = models.CharField(_("reference"), max_length=20, blank=True)
    personal_data_viewed = models.BooleanField(_("personal data viewed"), default=False)
    detail = models.TextField(_("detail"), blank=True)
    client_address = models.CharField(_("client address"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    # The hash chain (desk.integrity, docs/audit-log.md): set when the row is added, never changed.
    chain_seq = models.PositiveBigIntegerField(null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(max_length=64, blank=True, editable=False)
    seal = models.JSONField(default=dict, blank=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.reference}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("the audit log is append-only")
        from . import integrity

        integrity.append(self, lambda: super(AuditLog, self).save(*args, **kwargs), kwargs.get("using"))

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit log is append-only")


class ChainHead(models.Model):
    """The last position and hash of one hash chain ("audit", "timeline"); its row is locked
    while an entry is appended, so entries are chained one after the other (desk.integrity)."""

    name = models.CharField(max_length=20, primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self):
        return f"{self.name} #{self.seq}"


class Rating(models.Model):
    """The citizen's satisfaction (1–5) after closing; one per inquiry."""

    inquiry = models.OneToOneField(Inquiry, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("score"), choices=Satisfaction.choices)
    comment = models.TextField(pgettext_lazy("desk", "comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The national online indicators (办事效率, 办事指南精确度, 办事便捷度, 平台操作性): optional 1–5.
    efficiency = models.PositiveSmallIntegerField(_("efficiency"), null=True, blank=True)
    guide_accuracy = models.PositiveSmallIntegerField(_("accuracy of the service guide"), null=True, blank=True)
    convenience = models.PositiveSmallIntegerField(_("convenience"), null=True, blank=True)
    usability = models.PositiveSmallIntegerField(_("ease of use of the platform"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="desk_rating_score_1_5")
        ]

    def __str__(self):
        return f"{self.inquiry_id}: {self.score}"


class IdempotencyRecord(models.Model):
    """Maps a client's Idempotency-Key (or a form token) to the inquiry it created.

    `fingerprint` is a SHA-256 of the canonical request; the same key with another body is a
    conflict. `sealed_code` is the access code XOR-ed with a keystream derived from SECRET_KEY
    and the key, so a retry can return the first answer without storing the code in clear.
    """

    key = models.CharField(max_length=200, unique=True)
    fingerprint = models.CharField(max_length=64)
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="+")
    sealed_code = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return self.key


class Notification(models.Model):
    """An e-mail or SMS waiting to be sent, sent, or failed; the rows are the durable queue."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications")
    channel = models.CharField(_("channel"), max_length=10, choices=NotificationChannel.choices)
    purpose = models.CharField(_("purpose"), max_length=20, choices=NotificationPurpose.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(pgettext_lazy("desk", "subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(
        _("next attempt"), null=True, blank=True, default=timezone.now, help_text=_("Empty: no more attempts.")
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return f"{self.channel} → {self.recipient} ({self.status})"


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())


class FollowUp(models.Model):
    """The mandatory follow-up of a bad rating (不满意, 非常不满意): the department's supervisors
    call the citizen back (回访) and record the fix (整改) before `due_at`; overdue tasks are
    escalated to the bureau's Supervisors. Changed only through `desk.actions`."""

    inquiry = models.OneToOneField(Inquiry, on_delete=models.CASCADE, related_name="follow_up")
    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="follow_up")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("department")
    )
    created_at = models.DateTimeField(_("opened at"), default=timezone.now, db_index=True)
    due_at = models.DateTimeField(_("due"), db_index=True)
    called_back_at = models.DateTimeField(_("citizen called back at"), null=True, blank=True)
    call_note = models.TextField(_("call-back notes (internal)"), blank=True)
    fix = models.TextField(_("what was done (shown to the citizen)"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("rating follow-up")
        verbose_name_plural = _("rating follow-ups")

    def __str__(self):
        return f"{self.inquiry_id} due {self.due_at:%Y-%m-%d}"

    @property
    def is_done(self):
        return self.done_at is not None

    def is_overdue_at(self, now):
        return self.done_at is None and self.due_at < now

    @property
    def is_overdue(self):
        return self.is_overdue_at(timezone.now())


class ComplaintOutcome(models.Model):
    """The outcome of a complaint about police conduct (published in the statistics)."""

    class Outcome(models.TextChoices):
        UPHELD = "upheld", pgettext_lazy("complaint outcome", "Upheld")
        PARTLY_UPHELD = "partly_upheld", pgettext_lazy("complaint outcome", "Partly upheld")
        NOT_UPHELD = "not_upheld", pgettext_lazy("complaint outcome", "Not upheld")

    inquiry = models.OneToOneField(Inquiry, on_delete=models.CASCADE, related_name="complaint_outcome")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("complaint outcome")
        verbose_name_plural = _("complaint outcomes")

    def __str__(self):
        return f"{self.inquiry_id}: {self.outcome}"


class StaffProfile(models.Model):
    """What the portal knows about a staff member beyond Django's user: the badge number (警号)
    citizens see instead of the officer's name (desk.names)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile", verbose_name=_("user")
    )
    badge_number = models.CharField(
        _("badge number"),
        max_length=20,
        blank=True,
        help_text=_("The police badge number (警号) shown to citizens instead of the officer's name."),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        # The staff name as staff read it (family name first) is desk.names.display_name: the
        # model stays below the display helpers, which read it.
        return self.user.get_username()
