"""The desk behind the chat engine's gateway (chatbot.engine.gateway.DeskGateway) over
desk.actions: the only place where the chat files and tracks requests."""

from django.urls import reverse
from django.utils import translation

from chatbot.engine.gateway import Filed, RequestInvalid, Tracked
from portal import ratelimit

from . import actions, receipts
from .models import Rating
from .rating_notices import rate_token

TRACK_LIMIT = "inquiry_track"  # the tracking page's and the API's budget of wrong access codes


class DeskGateway:
    """`client_address`: the citizen's address, charged for wrong access codes (None: not
    charged, e.g. a script calling the engine directly)."""

    def __init__(self, client_address=None):
        self.client_address = client_address

    def options(self, lang):
        opts = actions.options(lang)
        return {
            "kinds": [
                {"slug": k["slug"], "name": k["name"], "categories": list(k["categories"]), "contact": k["contact"]}
                for k in opts["kinds"]
            ],
            "categories": [{"slug": c["slug"], "name": c["name"]} for c in opts["categories"]],
        }

    def valid_phone(self, value):
        return actions.valid_phone(value)

    def description_too_short(self, value):
        return actions.description_too_short(value)

    def open_request(self, *, kind, category, subject, description, name, phone, email, lang, consent, idempotency_key):
        try:
            result = actions.open_inquiry(
                kind=kind,
                category=category,
                subject=subject,
                description=description,
                name=name,
                phone=phone,
                email=email,
                lang=lang,
                consent=consent,
                channel="chat",
                idempotency_key=idempotency_key,
            )
        except actions.ValidationError as exc:
            raise RequestInvalid(dict(exc.items())) from exc
        inquiry = result.inquiry
        signature = receipts.sign(inquiry)
        return Filed(
            reference=inquiry.reference,
            access_code=result.access_code,
            due_at=inquiry.due_at,
            receipt_code=receipts.short_code(signature),
            receipt_url=receipts.verify_path(inquiry.reference, signature, lang),
        )

    def track_wait(self):
        if self.client_address is None:
            return 0
        return ratelimit.retry_after(TRACK_LIMIT, self.client_address)

    def look_up(self, reference, code, lang):
        inquiry = actions.lookup(reference, code)
        if inquiry is None:
            self._charge_wrong_code()
            return None
        with translation.override(lang):
            status_label = str(inquiry.get_public_status_display())
        replies = [
            item
            for item in actions.public_timeline(inquiry)
            if item["by"] == "bureau" and item["text"] and item["kind"] in ("reply", "close")
        ]
        latest = None
        if replies:
            latest = {"at": replies[-1]["at"], "text": replies[-1]["text"] or replies[-1].get("reason") or ""}
        rate_url = ""
        if inquiry.status == "closed" and not Rating.objects.filter(inquiry_id=inquiry.pk).exists():
            with translation.override(lang):
                rate_url = reverse("desk:rate_link", args=[rate_token(inquiry)])
        return Tracked(
            reference=inquiry.reference,
            status=inquiry.status,
            status_label=status_label,
            due_at=inquiry.due_at,
            latest_reply=latest,
            rate_url=rate_url,
        )

    def _charge_wrong_code(self):
        if self.client_address is None:
            return
        try:
            ratelimit.hit(TRACK_LIMIT, self.client_address)
        except ratelimit.RateLimited:
            pass  # the budget is used up: track_wait() refuses the next look-up
