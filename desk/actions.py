"""The one place where inquiries change state.

The public form, the JSON API, the staff admin views and the chatbot call these functions;
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
from django.utils.translation import pgettext

from portal.sanitize import clean_text, text_to_html

from . import deadlines, notifications, permissions, rating_notices
from .choices import (
    ACTIVE_STATUSES,
    BAD_RATING_MAX,
    CONTACT_RULES,
    GROUP_SUPERVISORS,
    RATING_INDICATORS,
    AuditAction,
    Channel,
    EntryKind,
    Kind,
    Lang,
    Priority,
    Satisfaction,
    Status,
)
from .events import send_event_on_commit
from .models import (
    REFERENCE_RE,
    AuditLog,
    Category,
    ComplaintOutcome,
    Department,
    FollowUp,
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
# A request needs enough to act on; the chat asks for as much (chatbot.engine.core uses this).
DESCRIPTION_MIN = 10
MESSAGE_MAX = 5000
REASON_MAX = 1000
IDEMPOTENCY_KEY_MAX = 150
ACCESS_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
ACCESS_CODE_LENGTH = 10
# 7 to 15 digits (a landline without area code to an international number), optionally with
# a leading + and single spaces or hyphens between digits: "12345" is not a phone number.
PHONE_RE = re.compile(r"^\+?[0-9](?:[ \-]?[0-9]){6,14}$")


def valid_phone(value):
    """Whether `value` is a phone number we can call back; the form, the API and the chat ask this."""
    return isinstance(value, str) and bool(PHONE_RE.match(value.strip()))


def description_too_short(value):
    """Whether a request's description is too short to act on (form, API and chat alike)."""
    return len(clean_text(value or "")) < DESCRIPTION_MIN


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
    value = value.replace("\x00", "")  # a control character like the others clean_text drops
    if not is_storable_text(value):
        errors.setdefault(field, []).append(_("The text contains characters that cannot be stored."))
        return ""
    value = clean_text(value)
    if required and not value:
        errors.setdefault(field, []).append(pgettext("desk", "This field is required."))
    elif len(value) > max_length:
        errors.setdefault(field, []).append(
            _("Ensure this value has at most %(max)d characters (it has %(length)d).")
            % {"max": max_length, "length": len(value)}
        )
    return value


def is_storable_text(value):
    """False for text that some database or page cannot encode: a lone UTF-16 surrogate half, or a
    NUL character (PostgreSQL text refuses it, even in a query's parameter)."""
    if "\x00" in value:
        return False
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
    if cleaned["description"] and description_too_short(cleaned["description"]):
        errors.setdefault("description", []).append(
            _("Please describe it in at least %(min)d characters: when, where, what happened.")
            % {"min": DESCRIPTION_MIN}
        )
    if cleaned["phone"] and not valid_phone(cleaned["phone"]):
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
    base_url=None,
):
    """File a new inquiry; returns OpenResult(inquiry, access_code, created).

    `base_url`: the portal's address the citizen used (desk.receipts.base_url(request)), for
    the links in the receipt's e-mail and SMS.

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
            notifications.queue_receipt(inquiry, code, base_url)
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
            score = entry.data.get("score")
            level = f"{score}/5 · {Satisfaction(score).label}" if score in Satisfaction.values else f"{score}/5"
            text = level + (f"\n{entry.text}" if entry.text else "")
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
    """The citizen's 1–5 rating with an optional comment, once, after closing (see rate_inquiry)."""
    return rate_inquiry(inquiry, score, comment)


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
        rating_notices.queue_closing_notice(fresh)
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


# --- 好差评: ratings and their mandatory follow-up (docs/open-data.md) ----------------------------


def _score(value, field, errors, *, required):
    if value in (None, "") and not required:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        errors[field] = [_("Choose a rating from 1 to 5.")]
        return None
    return value


def follow_up_due_at(now):
    """A bad rating's follow-up is due at the end of the N-th working day (setting
    SUNSHINE_FOLLOW_UP_WORKING_DAYS, default 3) after the rating."""
    return deadlines.due_at(now, settings.SUNSHINE_FOLLOW_UP_WORKING_DAYS)


def rate_inquiry(inquiry, score, comment="", *, indicators=None, client_address=""):
    """The citizen's 好差评 rating of a closed request: once, a level from 5 (非常满意) to 1
    (非常不满意), the national online indicators (`indicators`: efficiency, guide_accuracy,
    convenience, usability → 1–5, each optional) and a comment.

    A 不满意 or 非常不满意 (score ≤ 2) opens a FollowUp for the department's supervisors, due in
    SUNSHINE_FOLLOW_UP_WORKING_DAYS working days; they are e-mailed. Returns the Rating."""
    errors = {}
    score = _score(score, "score", errors, required=True)
    indicators = dict(indicators or {})
    unknown = set(indicators) - set(RATING_INDICATORS)
    if unknown:
        errors["__all__"] = [_("Unknown rating indicator.")]
    stars = {name: _score(indicators.get(name), name, errors, required=False) for name in RATING_INDICATORS}
    comment = _str(comment, "comment", errors, max_length=REASON_MAX)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = _lock(inquiry)
        if fresh.status != Status.CLOSED:
            raise _state_error(_("You can rate a request once it is closed."))
        if Rating.objects.filter(inquiry=fresh).exists():
            raise _state_error(_("You have already rated this request."))
        now = timezone.now()
        try:
            with transaction.atomic():
                rating = Rating.objects.create(inquiry=fresh, score=score, comment=comment, created_at=now, **stars)
        except IntegrityError:  # a concurrent rating won (SQLite has no row lock)
            raise _state_error(_("You have already rated this request.")) from None
        data = {"score": score, **{k: v for k, v in stars.items() if v is not None}}
        _entry(fresh, EntryKind.RATING, public=True, text=comment, data=data)
        if score <= BAD_RATING_MAX:
            follow_up = FollowUp.objects.create(
                inquiry=fresh, rating=rating, department=fresh.department, created_at=now, due_at=follow_up_due_at(now)
            )
            rating_notices.queue_follow_up_task(follow_up, fresh.department.supervisors.filter(is_active=True))
            _emit(fresh, "inquiry.updated", "follow_up_opened")
        _save(fresh)
        _emit(fresh, "inquiry.updated", "rating")
    _refresh(inquiry, fresh)
    return rating


def record_follow_up(actor, follow_up, *, fix, call_note="", called_back_at=None, client_address=""):
    """A department supervisor (or a bureau Supervisor) records the call-back (回访) and the fix
    (整改) of a bad rating. `fix` is shown to the citizen on the tracking page; `call_note` stays
    internal. Done once; audited. Returns the FollowUp."""
    errors = {}
    fix = _str(fix, "fix", errors, max_length=REASON_MAX, required=True)
    call_note = _str(call_note, "call_note", errors, max_length=REASON_MAX)
    now = timezone.now()
    if called_back_at is None:
        called_back_at = now
    elif not hasattr(called_back_at, "tzinfo") or called_back_at > now + timezone.timedelta(minutes=5):
        errors["called_back_at"] = [_("The call-back cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        task = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        fresh = _lock(task.inquiry)
        _require(permissions.can_follow_up(actor, task))
        if task.done_at is not None:
            raise _state_error(_("This follow-up has already been recorded."))
        if called_back_at < task.created_at.replace(second=0, microsecond=0):  # forms give minutes
            raise ValidationError({"called_back_at": [_("The call-back cannot be before the rating.")]})
        task.called_back_at = called_back_at
        task.call_note = call_note
        task.fix = fix
        task.done_at = now
        task.done_by = actor
        task.save(update_fields=["called_back_at", "call_note", "fix", "done_at", "done_by"])
        _entry(
            fresh,
            EntryKind.FOLLOW_UP,
            author=actor,
            public=True,
            text=fix,
            data={"called_back_at": called_back_at.isoformat(), "on_time": now <= task.due_at},
        )
        detail = json.dumps({"called_back_at": called_back_at.isoformat(), "on_time": now <= task.due_at})
        _audit(actor, AuditAction.FOLLOW_UP, fresh, client_address=client_address, detail=detail)
        _save(fresh)
        _emit(fresh, "inquiry.updated", "follow_up")
    if follow_up is not task:
        follow_up.refresh_from_db()
    return task


def escalate_follow_up(follow_up, now=None):
    """Escalate an overdue follow-up to the bureau's Supervisors once (e-mail, internal entry,
    audit row). Returns False when it is done, not overdue, or already escalated."""
    now = now or timezone.now()
    with transaction.atomic():
        task = FollowUp.objects.select_for_update().select_related("department", "rating").get(pk=follow_up.pk)
        if task.escalated_at is not None or not task.is_overdue_at(now):
            return False
        fresh = _lock(task.inquiry)
        task.escalated_at = now
        task.save(update_fields=["escalated_at"])
        task.inquiry = fresh
        supervisors = get_user_model().objects.filter(is_active=True, groups__name=GROUP_SUPERVISORS).distinct()
        queued = rating_notices.queue_follow_up_escalation(task, supervisors)
        _entry(fresh, EntryKind.ESCALATION, data={"follow_up": task.pk, "notified": len(queued)})
        _audit(None, AuditAction.FOLLOW_UP_ESCALATE, fresh, detail=f"follow-up overdue; notified {len(queued)}")
        _emit(fresh, "inquiry.updated", "follow_up_escalated", overdue=True)
    return True


def overturn_junk(actor, inquiry, reason, *, client_address=""):
    """Supervisors only: the request was wrongly marked as junk. It is reopened (assigned or
    new, as `reopen`), and the marking counts against the officer who made it in the staff
    assessment (the junk-entry penalty). Reason required; audited."""
    reason = _text(reason, "reason", REASON_MAX)
    with transaction.atomic():
        fresh = _lock(inquiry)
        _require(permissions.is_supervisor(actor) and permissions.can_view(actor, fresh))
        if fresh.status != Status.JUNK:
            raise _state_error(_("Only a request marked as junk can be overturned."))
        marking = fresh.timeline.filter(kind=EntryKind.JUNK).order_by("-created_at", "-pk").first()
        junk_by = getattr(marking, "author_id", None)
        fresh.status = Status.ASSIGNED if fresh.assignee_id else Status.NEW
        fresh.closed_at = None
        fresh.escalated_at = None
        _save(fresh, "status", "closed_at", "escalated_at")
        data = {"status": fresh.status, "junk_entry": getattr(marking, "pk", None), "junk_by": junk_by}
        _entry(fresh, EntryKind.OVERTURN_JUNK, author=actor, text=reason, data=data)
        _entry(fresh, EntryKind.REOPEN, author=actor, public=True, data={"status": fresh.status})
        detail = json.dumps({"junk_by": junk_by, "reason": reason}, ensure_ascii=False)
        _audit(actor, AuditAction.OVERTURN_JUNK, fresh, client_address=client_address, detail=detail)
        _emit(fresh, "inquiry.updated", "overturn_junk")
    return _refresh(inquiry, fresh)


def set_complaint_outcome(actor, inquiry, outcome, *, client_address=""):
    """Supervision staff or Supervisors: the outcome (upheld, partly upheld, not upheld) of a
    complaint about police conduct, published as a count in the statistics. Audited."""
    if outcome not in ComplaintOutcome.Outcome.values:
        raise ValidationError({"outcome": [_("Choose an outcome.")]})
    with transaction.atomic():
        fresh = _lock(inquiry)
        _require(permissions.can_view(actor, fresh))
        if not (fresh.kind == Kind.COMPLAINT and fresh.category.is_police_conduct):
            raise _state_error(_("Only a complaint about police conduct has an outcome."))
        ComplaintOutcome.objects.update_or_create(
            inquiry=fresh, defaults={"outcome": outcome, "decided_at": timezone.now(), "decided_by": actor}
        )
        _audit(actor, AuditAction.COMPLAINT_OUTCOME, fresh, client_address=client_address, detail=outcome)
        _emit(fresh, "inquiry.updated", "complaint_outcome")
    return _refresh(inquiry, fresh)


def satisfaction_label(score):
    return str(Satisfaction(score).label)
