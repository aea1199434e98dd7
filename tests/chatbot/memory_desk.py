"""An in-memory desk behind the chat engine's gateway (chatbot.engine.gateway.DeskGateway), for
the engine's tests without a database.

Not canned answers: requests are kept in a dict and the desk's own rules are applied (the same
functions where they are pure: desk.actions.valid_phone and description_too_short, the contact
rules of desk.choices, Django's e-mail validator, access-code normalisation and the rate-limit
budget settings). tests/chatbot/test_gateway_contract.py runs the same checks against this and
desk.chat_gateway.DeskGateway, so the two cannot drift apart.
"""

import datetime
import hashlib
import secrets
import time

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation

from chatbot.engine.gateway import Filed, RequestInvalid, Tracked
from desk.actions import (
    ACCESS_CODE_ALPHABET,
    ACCESS_CODE_LENGTH,
    DESCRIPTION_MAX,
    IDEMPOTENCY_KEY_MAX,
    SUBJECT_MAX,
    description_too_short,
    valid_phone,
)
from desk.choices import CONTACT_RULES, Kind, Status
from desk.demo import CATEGORIES
from desk.models import REFERENCE_RE, normalize_access_code

FIELD_MAX = {"subject": SUBJECT_MAX, "description": DESCRIPTION_MAX, "name": 100, "phone": 30, "email": 254}
WORKING_DAYS = 15  # the desk's default response time: the in-memory desk knows no holidays


class MemoryDesk:
    """`categories`: (slug, zh name, en name, kind or "") like desk.demo.CATEGORIES (default:
    the demo configuration, which the real desk's tests seed too). `clock`: seconds (time.time),
    replaceable to test the budget's window. `client_address`: charged for wrong codes."""

    def __init__(self, categories=None, *, client_address=None, clock=time.time):
        self.categories = [row[:4] for row in (categories or CATEGORIES)]
        self.client_address = client_address
        self.clock = clock
        self.requests = {}  # reference -> dict
        self.by_key = {}  # idempotency key -> (fingerprint, reference)
        self.wrong_codes = {}  # (address, window) -> count
        self.counter = [0]  # references of the year (a list: shared with for_address views)

    def for_address(self, client_address):
        """The same desk (same requests and budgets) seen from another citizen's address."""
        other = MemoryDesk.__new__(MemoryDesk)
        other.__dict__ = self.__dict__.copy()
        other.client_address = client_address
        return other

    # --- the interface ----------------------------------------------------------------------

    def options(self, lang):
        lang = lang if lang in ("zh-hans", "en") else settings.LANGUAGE_CODE
        with translation.override(lang):
            return {
                "kinds": [
                    {
                        "slug": kind.value,
                        "name": str(kind.label),
                        "categories": [slug for slug, _zh, _en, only in self.categories if not only or only == kind],
                        "contact": CONTACT_RULES[kind],
                    }
                    for kind in Kind
                ],
                "categories": [
                    {"slug": slug, "name": zh if lang == "zh-hans" else en} for slug, zh, en, _only in self.categories
                ],
            }

    def valid_phone(self, value):
        return valid_phone(value)

    def description_too_short(self, value):
        return description_too_short(value)

    def open_request(self, *, kind, category, subject, description, name, phone, email, lang, consent, idempotency_key):
        cleaned = self._validate(kind, category, subject, description, name, phone, email, lang, consent)
        if idempotency_key is not None and not (
            isinstance(idempotency_key, str) and 0 < len(idempotency_key) <= IDEMPOTENCY_KEY_MAX
        ):
            raise RequestInvalid({"idempotency_key": ["The idempotency key must be 1 to 150 characters."]})
        fingerprint = hashlib.sha256(repr(sorted(cleaned.items())).encode()).hexdigest()
        if idempotency_key in self.by_key:
            first_fingerprint, reference = self.by_key[idempotency_key]
            if first_fingerprint != fingerprint:
                raise ValueError("This idempotency key was already used for a different request.")
            return self._filed(self.requests[reference], lang)
        self.counter[0] += 1
        now = timezone.now()
        reference = f"YG-{timezone.localtime(now).year}-{self.counter[0]:06d}"
        raw = "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(ACCESS_CODE_LENGTH))
        code = f"{raw[:5]}-{raw[5:]}"
        self.requests[reference] = {
            **cleaned,
            "reference": reference,
            "code": code,
            "status": Status.NEW.value,
            "due_at": now + datetime.timedelta(days=WORKING_DAYS),
            "replies": [],
            "rated": False,
        }
        if idempotency_key:
            self.by_key[idempotency_key] = (fingerprint, reference)
        return self._filed(self.requests[reference], lang)

    def track_wait(self):
        if self.client_address is None or not settings.RATELIMIT_ENABLE:
            return 0
        count_max, period = settings.RATELIMITS["inquiry_track"]
        now = self.clock()
        window = int(now // period)
        if self.wrong_codes.get((self.client_address, window), 0) < count_max:
            return 0
        return int((window + 1) * period - now) + 1

    def look_up(self, reference, code, lang):
        reference = (reference or "").strip().upper() if isinstance(reference, str) else ""
        code = normalize_access_code(code if isinstance(code, str) else "")
        found = self.requests.get(reference) if REFERENCE_RE.match(reference) and code else None
        if found is None or not secrets.compare_digest(normalize_access_code(found["code"]), code):
            self._charge_wrong_code()
            return None
        with translation.override(lang):
            status = Status.CLOSED if found["status"] == Status.JUNK else Status(found["status"])
            status_label = str(status.label)
        latest = found["replies"][-1] if found["replies"] else None
        rate_url = ""
        if found["status"] == Status.CLOSED and not found["rated"]:
            rate_url = f"/{lang}/requests/rate/{reference}/"
        return Tracked(
            reference=reference,
            status=found["status"],
            status_label=status_label,
            due_at=found["due_at"],
            latest_reply=dict(latest) if latest else None,
            rate_url=rate_url,
        )

    # --- what the desk's staff do (the real desk: desk.actions.reply / close / rate) ----------

    def reply(self, reference, text):
        request = self.requests[reference]
        request["replies"].append({"at": timezone.now(), "text": text})
        request["status"] = Status.REPLIED.value

    def close(self, reference, reason):
        """The closing reason is not a reply (the real desk keeps it as the entry's public reason)."""
        request = self.requests[reference]
        request["close_reason"] = reason
        request["status"] = Status.CLOSED.value

    def rate(self, reference):
        self.requests[reference]["rated"] = True

    # --- the desk's rules -------------------------------------------------------------------

    def _validate(self, kind, category, subject, description, name, phone, email, lang, consent):  # noqa: C901
        errors = {}
        if kind not in Kind.values:
            errors["kind"] = ["Choose a kind of request."]
        row = next((row for row in self.categories if row[0] == category), None)
        if row is None:
            errors["category"] = ["Choose a category."]
        elif kind in Kind.values and row[3] and row[3] != kind:
            errors["category"] = ["This category does not fit the kind of request."]
        cleaned = {}
        for field, value in (
            ("subject", subject),
            ("description", description),
            ("name", name),
            ("phone", phone),
            ("email", email),
        ):
            value = (value or "").strip() if isinstance(value, str) else ""
            if len(value) > FIELD_MAX[field]:
                errors.setdefault(field, []).append("Too long.")
            cleaned[field] = value
        for field in ("subject", "description"):
            if not cleaned[field]:
                errors.setdefault(field, []).append("This field is required.")
        if cleaned["description"] and description_too_short(cleaned["description"]):
            errors.setdefault("description", []).append("Please describe it in more detail.")
        if cleaned["phone"] and not valid_phone(cleaned["phone"]):
            errors.setdefault("phone", []).append("Enter a valid phone number.")
        if cleaned["email"]:
            try:
                validate_email(cleaned["email"])
            except DjangoValidationError:
                errors.setdefault("email", []).append("Enter a valid e-mail address.")
        if kind in Kind.values:
            rule = CONTACT_RULES[kind]
            for field in rule["required"]:
                if not cleaned[field] and field not in errors:
                    errors[field] = ["This field is required for this kind of request."]
            if rule["one_of"] and not any(cleaned[f] for f in rule["one_of"]):
                for field in rule["one_of"]:
                    errors.setdefault(field, []).append("Give a phone number or an e-mail address.")
        if lang not in ("zh-hans", "en"):
            errors["lang"] = ["Choose a language."]
        if consent is not True:
            errors["consent"] = ["Please agree to the privacy notice."]
        if errors:
            raise RequestInvalid(errors)
        return {**cleaned, "kind": kind, "category": category, "lang": lang}

    def _filed(self, request, lang):
        return Filed(
            reference=request["reference"],
            access_code=request["code"],
            due_at=request["due_at"],
            receipt_code=hashlib.sha256(request["reference"].encode()).hexdigest()[:16],
            receipt_url=f"/{lang}/receipts/verify/?ref={request['reference']}",
        )

    def _charge_wrong_code(self):
        if self.client_address is None or not settings.RATELIMIT_ENABLE:
            return
        _count_max, period = settings.RATELIMITS["inquiry_track"]
        key = (self.client_address, int(self.clock() // period))
        self.wrong_codes[key] = self.wrong_codes.get(key, 0) + 1
