"""The one place where inquiries change state.

The public form, the JSON API, the staff admin views (H5) and the chatbot call these functions;
none of them write the models directly. Every function validates its input, checks the actor's
permission (`desk.permissions`), locks the rows it changes (`select_for_update` inside
`atomic`), writes the timeline and the audit log, and emits events after commit
(`desk.events.send_event_on_commit`).

Errors: `ValidationError` (field → list of localized messages; "__all__" for the inquiry's
state), `PermissionDenied` (a subclass of Django's, so views answer 403) and
`IdempotencyConflict` (the same idempotency key with a different request).

Return values: staff actions return the updated Inquiry (the object passed in is refreshed
too); `reply`, `note` and `add_followup` return the new TimelineEntry.
"""

import datetime
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from portal.sanitize import clean_text, text_to_html

from . import deadlines, notifications, permissions
from .choices import (
    ACTIVE_STATUSES,
    CONTACT_RULES,
    GROUP_SUPERVISORS,
    AuditAction,
    Channel,
    EntryKind,
    Kind,
    Lang,
    Priority,
    Status,
)
from .events import send_event_on_commit
from .models import (
    AuditLog,
    Category,
    Department,
    IdempotencyRecord,
    Inquiry,
    Rating,
    ReferenceCounter,
    TimelineEntry,
    normalize_access_code,
)
from .routing_rules import route

SUBJECT_MAX = 200
DESCRIPTION_MAX = 5000
MESSAGE_MAX = 5000
REASON_MAX = 1000
IDEMPOTENCY_KEY_MAX = 150
ACCESS_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
ACCESS_CODE_LENGTH = 10
REFERENCE_RE = re.compile(r"^YG-(\d{4})-(\d{6,})$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")


class ValidationError(ValueError):
    """Field → list of localized messages. Behaves like a read-only dict."""

    def __init__(self, errors):
        self.errors = {field: [str(message) for message in messages] for field, messages in errors.items()}
        super().__init__(self.errors)

    def __getitem__(self, field):
        return self.errors[field]

    def __contains__(self, field):
        return field in self.errors

    def __iter__(self):
        return iter(self.errors)

    def items(self):
        return self.errors.items()

    def keys(self):
        return self.errors.keys()


class PermissionDenied(DjangoPermissionDenied):
    pass


class IdempotencyConflict(Exception):
    """The idempotency key was already used for a different request."""


@dataclass
class OpenResult:
    inquiry: Inquiry
    access_code: str
    created: bool


# --- options -------------------------------------------------------------------------------


def options(lang="zh-hans"):
    """Kinds (with required contact fields) and categories, localized: what a form or API client
    needs to offer. `contact.required` must all be given; at least one of `contact.one_of`."""
    lang = lang if lang in Lang.values else settings.LANGUAGE_CODE
    with translation.override(lang):
        categories = list(Category.objects.filter(active=True))
        return {
            "lang": lang,
            "kinds": [
                {
                    "slug": kind.value,
                    "name": str(kind.label),
                    "contact": CONTACT_RULES[kind],
                    "anonymous_allowed": not CONTACT_RULES[kind]["required"] and not CONTACT_RULES[kind]["one_of"],
                    "categories": [c.slug for c in categories if c.allows_kind(kind.value)],
                }
                for kind in Kind
            ],
            "categories": [
                {"slug": c.slug, "name": c.name, "kinds": [c.kind] if c.kind else list(Kind.values)} for c in categories
            ],
            "languages": [{"code": code, "name": name} for code, name in Lang.choices],
        }


# --- helpers -------------------------------------------------------------------------------


def _str(value, field, errors, *, max_length, required=False, label=None):
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.setdefault(field, []).append(_("Enter text."))
        return ""
    if not is_storable_text(value):
        errors.setdefault(field, []).append(_("The text contains characters that cannot be stored."))
        return ""
    value = clean_text(value)
    if required and not value:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(value) > max_length:
        errors.setdefault(field, []).append(
            _("Ensure this value has at most %(max)d characters (it has %(length)d).")
            % {"max": max_length, "length": len(value)}
        )
    return value


def is_storable_text(value):
    """False for text that no database or page can encode: a lone UTF-16 surrogate half."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


EVENT_TIME_EARLIEST = (1900, 1, 1)  # before this a date is a typing error (and may not convert)


def _text(text, field="text", max_length=MESSAGE_MAX, required=True):
    errors = {}
    value = _str(text, field, errors, max_length=max_length, required=required)
    if errors:
        raise ValidationError(errors)
    return value


def generate_access_code():
    raw = "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(ACCESS_CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def _keystream(key):
    return hmac.new(settings.SECRET_KEY.encode(), f"desk-idempotency:{key}".encode(), hashlib.sha256).digest()


def _seal(code, key):
    data = code.encode()
    return bytes(a ^ b for a, b in zip(data, _keystream(key), strict=False)).hex()


def _unseal(sealed, key):
    data = bytes.fromhex(sealed)
    return bytes(a ^ b for a, b in zip(data, _keystream(key), strict=False)).decode()


def allocate_reference(now=None):
    """Next reference of the year, e.g. YG-2026-000123; call inside a transaction.

    The counter row is incremented with an UPDATE, which holds its row lock until commit
    (PostgreSQL) or runs in an IMMEDIATE write transaction (SQLite), so two concurrent filings
    never get the same number; a rolled-back filing leaves a gap, never a duplicate.
    """
    year = timezone.localtime(now or timezone.now(), deadlines.bureau_tz()).year
    if not ReferenceCounter.objects.filter(year=year).update(value=F("value") + 1):
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(year=year, value=1)
        except IntegrityError:  # another filing created the row first
            ReferenceCounter.objects.filter(year=year).update(value=F("value") + 1)
    value = ReferenceCounter.objects.get(year=year).value
    return f"YG-{year}-{value:06d}"


def _audit(actor, action, inquiry=None, *, detail="", client_address="", personal_data_viewed=False):
    return AuditLog.objects.create(
        user=actor if getattr(actor, "pk", None) else None,
        username=getattr(actor, "username", "") or "",
        action=action,
        inquiry=inquiry,
        reference=getattr(inquiry, "reference", ""),
        personal_data_viewed=personal_data_viewed,
        detail=detail[:2000],
        client_address=client_address or "",
    )


def record_audit(actor, action, inquiry=None, *, detail="", client_address="", personal_data_viewed=False):
    """Append an audit-log row for something that is not an inquiry action (e.g. a CSV export)."""
    return _audit(
        actor,
        action,
        inquiry,
        detail=detail,
        client_address=client_address,
        personal_data_viewed=personal_data_viewed,
    )


def _entry(inquiry, kind, *, author=None, public=False, text="", public_reason="", data=None):
    return TimelineEntry.objects.create(
        inquiry=inquiry,
        kind=kind,
        public=public,
        author=author if getattr(author, "pk", None) else None,
        text=text,
        public_reason=public_reason,
        data=data or {},
    )


def _emit(inquiry, event_type, action, department_ids=None, **extra):
    data = {"id": inquiry.pk, "reference": inquiry.reference, "action": action, "urgent": inquiry.urgent, **extra}
    send_event_on_commit(event_type, data, department_ids or [inquiry.department_id])


def _lock(inquiry):
    return Inquiry.objects.select_for_update().select_related("department").get(pk=inquiry.pk)


def _save(inquiry, *fields):
    inquiry.updated_at = timezone.now()
    inquiry.save(update_fields=[*fields, "updated_at"])


def _refresh(original, fresh):
    if original is not fresh:
        original.refresh_from_db()
    return fresh


def _require(condition):
    if not condition:
        raise PermissionDenied(_("You may not do this with this inquiry."))


def _state_error(message):
    return ValidationError({"__all__": [message]})


# --- citizens ------------------------------------------------------------------------------


def _validate_new(  # noqa: C901 - one flat list of field checks reads best
    kind, category, subject, description, name, phone, email, lang, consent, channel, location, event_time
):
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Choose a kind of request.")]
    category_obj = None
    if isinstance(category, Category):
        category_obj = category
    elif isinstance(category, str) and category and is_storable_text(category):
        category_obj = Category.objects.filter(slug=category, active=True).first()
    if category_obj is None:
        errors["category"] = [_("Choose a category.")]
    elif kind in Kind.values and not category_obj.allows_kind(kind):
        errors["category"] = [_("This category does not fit the kind of request.")]
    cleaned = {
        "subject": _str(subject, "subject", errors, max_length=SUBJECT_MAX, required=True),
        "description": _str(description, "description", errors, max_length=DESCRIPTION_MAX, required=True),
        "name": _str(name, "name", errors, max_length=100),
        "phone": _str(phone, "phone", errors, max_length=30),
        "email": _str(email, "email", errors, max_length=254),
        "location": _str(location, "location", errors, max_length=200),
    }
    if cleaned["phone"] and not PHONE_RE.match(cleaned["phone"]):
        errors.setdefault("phone", []).append(_("Enter a valid phone number."))
    if cleaned["email"]:
        try:
            validate_email(cleaned["email"])
        except Exception:
            errors.setdefault("email", []).append(_("Enter a valid e-mail address."))
    if kind in Kind.values:
        rule = CONTACT_RULES[kind]
        for field in rule["required"]:
            if not cleaned[field] and field not in errors:
                errors[field] = [_("This field is required for this kind of request.")]
        if rule["one_of"] and not any(cleaned[f] for f in rule["one_of"]):
            for field in rule["one_of"]:
                errors.setdefault(field, []).append(_("Give a phone number or an e-mail address so we can answer."))
    if lang not in Lang.values:
        errors["lang"] = [_("Choose a language.")]
    if consent is not True:
        errors["consent"] = [_("Please agree to the privacy notice.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    if event_time in ("", None):
        event_time = None
    elif isinstance(event_time, str):
        parsed = None
        try:
            parsed = parse_datetime(event_time)
        except ValueError:
            parsed = None
        if parsed is None:
            errors["event_time"] = [_("Enter a valid date and time.")]
        event_time = parsed
    if event_time is not None and not errors.get("event_time"):
        if not hasattr(event_time, "tzinfo"):
            errors["event_time"] = [_("Enter a valid date and time.")]
            event_time = None
        else:
            try:
                if timezone.is_naive(event_time):
                    event_time = timezone.make_aware(event_time, deadlines.bureau_tz())
                if event_time > timezone.now() + timezone.timedelta(days=1):
                    errors["event_time"] = [_("The time of the event cannot be in the future.")]
                elif event_time.astimezone(datetime.UTC).timetuple()[:3] < EVENT_TIME_EARLIEST:
                    raise OverflowError
            except (OverflowError, ValueError):  # e.g. 0001-01-01 (out of range in UTC)
                errors["event_time"] = [_("Enter a date after 1900.")]
                event_time = None
    if errors:
        raise ValidationError(errors)
    cleaned.update(kind=kind, category=category_obj, lang=lang, channel=channel, event_time=event_time)
    return cleaned


def _fingerprint(cleaned):
    canonical = {
        **{k: v for k, v in cleaned.items() if k not in ("category", "event_time")},
        "category": cleaned["category"].slug,
        "event_time": cleaned["event_time"].isoformat() if cleaned["event_time"] else "",
    }
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def is_retry(idempotency_key):
    """True when this idempotency key has already filed a request: sending it again files
    nothing (it replays the first answer, or is refused as a conflict), so it costs no create
    budget (portal.ratelimit `inquiry_create`)."""
    return bool(idempotency_key) and IdempotencyRecord.objects.filter(key=idempotency_key).exists()


def _replay(key, fingerprint):
    record = IdempotencyRecord.objects.select_related("inquiry").filter(key=key).first()
    if record is None:
        return None
    if not hmac.compare_digest(record.fingerprint, fingerprint):
        raise IdempotencyConflict(_("This idempotency key was already used for a different request."))
    code = _unseal(record.sealed_code, key) if record.sealed_code else ""
    return OpenResult(record.inquiry, code, False)


def open_inquiry(
    *,
    kind,
    category,
    subject,
    description,
    name="",
    phone="",
    email="",
    lang="zh-hans",
    consent=False,
    channel="web",
    location="",
    event_time=None,
    client_address="",
    idempotency_key=None,
):
    """File a new inquiry; returns OpenResult(inquiry, access_code, created).

    With an `idempotency_key` a repeated call with the same data returns the first result
    (created=False, the same access code) and files nothing; different data raises
    IdempotencyConflict. The inquiry is committed before this returns.
    """
    cleaned = _validate_new(
        kind, category, subject, description, name, phone, email, lang, consent, channel, location, event_time
    )
    if idempotency_key is not None:
        if not isinstance(idempotency_key, str) or not (0 < len(idempotency_key) <= IDEMPOTENCY_KEY_MAX):
            raise ValidationError({"idempotency_key": [_("The idempotency key must be 1 to 150 characters.")]})
    fingerprint = _fingerprint(cleaned)
    if idempotency_key:
        replay = _replay(idempotency_key, fingerprint)
        if replay:
            return replay
    code = generate_access_code()
    # Everything that only reads is done before the write transaction: on SQLite the
    # transaction holds the database's write lock from BEGIN IMMEDIATE to COMMIT.
    destination = route(cleaned["kind"], cleaned["category"])
    working_days = deadlines.working_days_for(cleaned["kind"], cleaned["category"])
    inquiry = Inquiry(
        department=destination.department,
        confidential=destination.confidential,
        client_address=(client_address or "")[:64],
        **cleaned,
    )
    inquiry.set_access_code(code)
    try:
        with transaction.atomic():
            now = timezone.now()
            inquiry.reference = allocate_reference(now)
            inquiry.consent_at = inquiry.created_at = inquiry.updated_at = now
            inquiry.due_at = deadlines.due_at(now, working_days)
            inquiry.save()
            _entry(inquiry, EntryKind.CREATED, public=True, data={"channel": inquiry.channel})
            if idempotency_key:
                IdempotencyRecord.objects.create(
                    key=idempotency_key,
                    fingerprint=fingerprint,
                    inquiry=inquiry,
                    sealed_code=_seal(code, idempotency_key),
                )
            notifications.queue_receipt(inquiry, code)
            _emit(inquiry, "inquiry.created", "created")
    except IntegrityError:
        if idempotency_key:  # a concurrent request with the same key won the race
            replay = _replay(idempotency_key, fingerprint)
            if replay:
                return replay
        raise
    return OpenResult(inquiry, code, True)


def lookup(reference, access_code):
    """The inquiry when reference and access code match, else None (unknown reference and wrong
    code are indistinguishable, and take the same work: the code is always hashed and compared
    in constant time)."""
    reference = (reference or "").strip().upper() if isinstance(reference, str) else ""
    code = normalize_access_code(access_code if isinstance(access_code, str) else "")
    inquiry = None
    if REFERENCE_RE.match(reference) and code:
        inquiry = Inquiry.objects.select_related("department", "category").filter(reference=reference).first()
    if inquiry is None:
        from .models import hash_access_code

        hmac.compare_digest(hash_access_code(code, "0" * 32), "0" * 64)  # same work as a real check
        return None
    return inquiry if inquiry.check_access_code(code) else None


def public_timeline(inquiry):
    """The citizen's view of the history: dicts with kind, label, by ("citizen"/"bureau"),
    text, html (sanitized), reason, at (aware datetime)."""
    items = []
    for entry in inquiry.timeline.filter(public=True).order_by("created_at", "pk"):
        text = entry.text
        if entry.kind == EntryKind.RATING:
            text = f"{entry.data.get('score', '')}/5" + (f"\n{entry.text}" if entry.text else "")
        items.append(
            {
                "kind": entry.kind,
                "label": str(EntryKind(entry.kind).label),
                "by": "citizen" if entry.by_citizen else "bureau",
                "text": text,
                "html": text_to_html(text) if text else "",
                "reason": entry.public_reason,
                "status": entry.data.get("status", ""),
                "at": entry.created_at,
            }
        )
    return items


def add_followup(inquiry, text, *, client_address=""):
    """A message from the citizen on their own inquiry (while it is not closed)."""
    text = _text(text)
    with transaction.atomic():
        fresh = _lock(inquiry)
        if fresh.status not in ACTIVE_STATUSES:
            raise _state_error(_("This request is closed. Please file a new request."))
        entry = _entry(fresh, EntryKind.CITIZEN_MESSAGE, public=True, text=text, data={"address": client_address})
        fields = []
        if fresh.status == Status.REPLIED:
            fresh.status = Status.IN_PROGRESS
            fields.append("status")
        _save(fresh, *fields)
        _emit(fresh, "inquiry.message", "citizen_message")
    _refresh(inquiry, fresh)
    return entry


def rate(inquiry, score, comment=""):
    """The citizen's 1–5 rating with an optional comment, once, after closing."""
    errors = {}
    if isinstance(score, str) and score.strip().isdigit():
        score = int(score)
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        errors["score"] = [_("Choose a rating from 1 to 5.")]
    comment = _str(comment, "comment", errors, max_length=REASON_MAX)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = _lock(inquiry)
        if fresh.status != Status.CLOSED:
            raise _state_error(_("You can rate a request once it is closed."))
        if Rating.objects.filter(inquiry=fresh).exists():
            raise _state_error(_("You have already rated this request."))
        rating = Rating.objects.create(inquiry=fresh, score=score, comment=comment)
        _entry(fresh, EntryKind.RATING, public=True, text=comment, data={"score": score})
        _save(fresh)
        _emit(fresh, "inquiry.updated", "rating")
    _refresh(inquiry, fresh)
    return rating


# --- staff ---------------------------------------------------------------------------------


def view_inquiry(actor, inquiry, *, client_address=""):
    """Record that `actor` viewed the inquiry's personal data (call it from the staff page)."""
    _require(permissions.can_view(actor, inquiry))
    _audit(actor, AuditAction.VIEW, inquiry, client_address=client_address, personal_data_viewed=True)
    return inquiry


def claim(actor, inquiry, *, client_address=""):
    """Take the inquiry: the actor becomes the assignee (only if unassigned or already theirs,
    unless the actor is a Supervisor)."""
    return assign(actor, inquiry, actor, client_address=client_address, _action=AuditAction.CLAIM)


def assign(actor, inquiry, assignee, *, client_address="", _action=AuditAction.ASSIGN):
    """Give the inquiry to `assignee` (None: unassign). Duty staff may assign an unassigned
    inquiry or their own; Supervisors reassign anything. The assignee must see the inquiry."""
    with transaction.atomic():
        fresh = _lock(inquiry)
        _require(permissions.can_view(actor, fresh) and permissions.can_reassign(actor, fresh))
        if fresh.status in (Status.CLOSED, Status.JUNK):
            raise _state_error(_("Reopen the inquiry first."))
        if assignee is not None and not permissions.can_be_assignee(assignee, fresh):
            raise ValidationError({"assignee": [_("This person cannot work on this inquiry's department.")]})
        if fresh.assignee_id == getattr(assignee, "pk", None):
            return _refresh(inquiry, fresh)
        previous = fresh.assignee
        fresh.assignee = assignee
        fields = ["assignee"]
        if assignee is not None and fresh.status == Status.NEW:
            fresh.status = Status.ASSIGNED
            fields.append("status")
        elif assignee is None and fresh.status == Status.ASSIGNED:
            fresh.status = Status.NEW
            fields.append("status")
        _save(fresh, *fields)
        data = {
            "from": getattr(previous, "username", None),
            "to": getattr(assignee, "username", None),
            "status": fresh.status,
        }
        _entry(fresh, EntryKind.ASSIGN, author=actor, data=data)
        _audit(actor, _action, fresh, client_address=client_address, detail=json.dumps(data))
        _emit(fresh, "inquiry.updated", "assign", assignee_id=getattr(assignee, "pk", None))
    return _refresh(inquiry, fresh)


def transfer(actor, inquiry, department, reason, *, client_address=""):
    """Move the inquiry to another department with an (internal) reason; it becomes unassigned.
    A complaint about police conduct never leaves the supervision department."""
    reason = _text(reason, "reason", REASON_MAX)
    if not isinstance(department, Department):
        department = Department.objects.filter(pk=department).first()
        if department is None:
            raise ValidationError({"department": [_("Choose a department.")]})
    with transaction.atomic():
        fresh = _lock(inquiry)
        _require(permissions.can_view(actor, fresh))
        if fresh.status in (Status.CLOSED, Status.JUNK):
            raise _state_error(_("Reopen the inquiry first."))
        if department.pk == fresh.department_id:
            raise ValidationError({"department": [_("The inquiry is already in this department.")]})
        if fresh.confidential and not department.is_supervision:
            raise ValidationError(
                {"department": [_("A complaint about police conduct stays with the supervision department.")]}
            )
        old_department_id = fresh.department_id
        data = {"from": fresh.department.slug, "to": department.slug}
        fresh.department = department
        fresh.assignee = None
        fields = ["department", "assignee"]
        if fresh.status == Status.ASSIGNED:
            fresh.status = Status.NEW
            fields.append("status")
        _save(fresh, *fields)
        _entry(fresh, EntryKind.TRANSFER, author=actor, text=reason, data=data)
        _audit(actor, AuditAction.TRANSFER, fresh, client_address=client_address, detail=json.dumps(data))
        _emit(fresh, "inquiry.updated", "transfer", [old_department_id, department.pk])
    return _refresh(inquiry, fresh)


def reply(actor, inquiry, text, *, client_address=""):
    """A public answer to the citizen; the status becomes "replied" and the citizen is notified."""
    text = _text(text)
    with transaction.atomic():
        fresh = _lock(inquiry)
        _require(permissions.can_view(actor, fresh))
        if fresh.status in (Status.CLOSED, Status.JUNK):
            raise _state_error(_("Reopen the inquiry first."))
        now = timezone.now()
        fresh.status = Status.REPLIED
        fields = ["status"]
        if fresh.first_reply_at is None:
            fresh.first_reply_at = now
            fields.append("first_reply_at")
        if fresh.assignee_id is None:
            fresh.assignee = actor
            fields.append("assignee")
        _save(fresh, *fields)
        entry = _entry(fresh, EntryKind.REPLY, author=actor, public=True, text=text, data={"status": fresh.status})
        _audit(actor, AuditAction.REPLY, fresh, client_address=client_address)
        notifications.queue_reply_notice(fresh)
        _emit(fresh, "inquiry.updated", "reply")
    _refresh(inquiry, fresh)
    return entry


def note(actor, inquiry, text, *, client_address=""):
    """An internal note, never shown to the citizen."""
    text = _text(text)
    with transaction.atomic():
        fresh = _lock(inquiry)
        _require(permissions.can_view(actor, fresh))
        fields = []
        if fresh.status == Status.ASSIGNED and fresh.assignee_id == actor.pk:
            fresh.status = Status.IN_PROGRESS
            fields.append("status")
        _save(fresh, *fields)
        entry = _entry(fresh, EntryKind.NOTE, author=actor, text=text)
        _audit(actor, AuditAction.NOTE, fresh, client_address=client_address)
        _emit(fresh, "inquiry.updated", "note")
    _refresh(inquiry, fresh)
    return entry


def set_priority(actor, inquiry, priority, *, client_address=""):
    if priority not in Priority.values:
        raise ValidationError({"priority": [_("Choose a priority.")]})
    with transaction.atomic():
        fresh = _lock(inquiry)
        _require(permissions.can_view(actor, fresh))
        if fresh.priority == priority:
            return _refresh(inquiry, fresh)
        data = {"from": fresh.priority, "to": priority}
        fresh.priority = priority
        _save(fresh, "priority")
        _entry(fresh, EntryKind.PRIORITY, author=actor, data=data)
        _audit(actor, AuditAction.PRIORITY, fresh, client_address=client_address, detail=json.dumps(data))
        _emit(fresh, "inquiry.updated", "priority")
    return _refresh(inquiry, fresh)


def close(actor, inquiry, public_reason, *, client_address=""):
    """Close with a reason the citizen sees; the citizen may then rate."""
    public_reason = _text(public_reason, "reason", REASON_MAX)
    with transaction.atomic():
        fresh = _lock(inquiry)
        _require(permissions.can_view(actor, fresh))
        if fresh.status in (Status.CLOSED, Status.JUNK):
            raise _state_error(_("The inquiry is already closed."))
        fresh.status = Status.CLOSED
        fresh.closed_at = timezone.now()
        _save(fresh, "status", "closed_at")
        _entry(
            fresh, EntryKind.CLOSE, author=actor, public=True, public_reason=public_reason, data={"status": "closed"}
        )
        _audit(actor, AuditAction.CLOSE, fresh, client_address=client_address, detail=public_reason)
        _emit(fresh, "inquiry.updated", "close")
    return _refresh(inquiry, fresh)


def reopen(actor, inquiry, reason="", *, client_address=""):
    """Reopen a closed or junk inquiry: back to "assigned" (if it has an assignee) or "new"."""
    reason = _text(reason, "reason", REASON_MAX, required=False)
    with transaction.atomic():
        fresh = _lock(inquiry)
        _require(permissions.can_view(actor, fresh))
        if fresh.status not in (Status.CLOSED, Status.JUNK):
            raise _state_error(_("Only a closed inquiry can be reopened."))
        fresh.status = Status.ASSIGNED if fresh.assignee_id else Status.NEW
        fresh.closed_at = None
        fresh.escalated_at = None
        _save(fresh, "status", "closed_at", "escalated_at")
        _entry(fresh, EntryKind.REOPEN, author=actor, public=True, public_reason=reason, data={"status": fresh.status})
        _audit(actor, AuditAction.REOPEN, fresh, client_address=client_address, detail=reason)
        _emit(fresh, "inquiry.updated", "reopen")
    return _refresh(inquiry, fresh)


def mark_junk(actor, inquiry, reason="", *, client_address=""):
    """Abuse or spam: kept, excluded from statistics, shown to the citizen as closed."""
    reason = _text(reason, "reason", REASON_MAX, required=False)
    with transaction.atomic():
        fresh = _lock(inquiry)
        _require(permissions.can_view(actor, fresh))
        if fresh.status == Status.JUNK:
            raise _state_error(_("The inquiry is already marked as junk."))
        fresh.status = Status.JUNK
        fresh.closed_at = timezone.now()
        _save(fresh, "status", "closed_at")
        _entry(fresh, EntryKind.JUNK, author=actor, text=reason)
        _audit(actor, AuditAction.JUNK, fresh, client_address=client_address, detail=reason)
        _emit(fresh, "inquiry.updated", "junk")
    return _refresh(inquiry, fresh)


def flag_urgent(inquiry, reason, actor=None, *, client_address=""):
    """Mark urgent (staff, or the system when actor is None, e.g. the chatbot's emergency
    detector). Staff get a live cue; an internal timeline entry keeps the reason."""
    reason = _text(reason, "reason", REASON_MAX, required=False)
    with transaction.atomic():
        fresh = _lock(inquiry)
        if actor is not None:
            _require(permissions.can_view(actor, fresh))
        if fresh.urgent:
            return _refresh(inquiry, fresh)
        fresh.urgent = True
        _save(fresh, "urgent")
        _entry(fresh, EntryKind.URGENT, author=actor, text=reason)
        if actor is not None:
            _audit(actor, AuditAction.URGENT, fresh, client_address=client_address, detail=reason)
        _emit(fresh, "inquiry.updated", "urgent")
    return _refresh(inquiry, fresh)


def set_case_file(actor, inquiry, case_file, reason="", *, client_address=""):
    """Supervisors only: the inquiry is (or is no longer) part of a case file. A case file is
    kept under the case-file rules, so the retention job never anonymises it (privacy notice)."""
    reason = _text(reason, "reason", REASON_MAX, required=False)
    case_file = bool(case_file)
    with transaction.atomic():
        fresh = _lock(inquiry)
        _require(permissions.is_supervisor(actor) and permissions.can_view(actor, fresh))
        if fresh.anonymized_at is not None:
            raise _state_error(_("This inquiry was anonymised under the retention rules."))
        if fresh.case_file == case_file:
            return _refresh(inquiry, fresh)
        fresh.case_file = case_file
        _save(fresh, "case_file")
        _entry(fresh, EntryKind.CASE_FILE, author=actor, text=reason, data={"case_file": case_file})
        detail = json.dumps({"case_file": case_file, "reason": reason}, ensure_ascii=False)
        _audit(actor, AuditAction.CASE_FILE, fresh, client_address=client_address, detail=detail)
        _emit(fresh, "inquiry.updated", "case_file")
    return _refresh(inquiry, fresh)


def escalate(inquiry, now=None):
    """Escalate an overdue inquiry to the Supervisors once (e-mail + timeline + live event).
    Returns False when it is no longer overdue or already escalated."""
    now = now or timezone.now()
    with transaction.atomic():
        fresh = _lock(inquiry)
        if fresh.escalated_at is not None or not fresh.is_overdue_at(now):
            return False
        fresh.escalated_at = now
        _save(fresh, "escalated_at")
        supervisors = get_user_model().objects.filter(is_active=True, groups__name=GROUP_SUPERVISORS).distinct()
        queued = notifications.queue_escalation(fresh, supervisors)
        _entry(fresh, EntryKind.ESCALATION, data={"notified": len(queued)})
        _audit(None, AuditAction.ESCALATE, fresh, detail=f"notified {len(queued)} supervisors")
        _emit(fresh, "inquiry.updated", "escalated", overdue=True)
    return True
