"""JSON API for non-browser clients (documented in docs/api-inquiries.md).

- GET  /api/inquiries/options?lang=…      kinds, categories, contact rules
- POST /api/inquiries                     file (Idempotency-Key honoured) → 201 / 400 / 409
- GET  /api/inquiries/<reference>         with X-Access-Code → status and public timeline / 404

CSRF: POST /api/inquiries is csrf_exempt. It never reads the session or the logged-in user
(nothing a cookie could lend to a forged request), and it demands `Content-Type:
application/json`, which a cross-site HTML form cannot send without a CORS preflight that we
never allow. Every call is rate limited per client address.
"""

import json

from django.http import JsonResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from portal import languages, ratelimit

from . import actions, receipts
from .choices import Lang
from .notifications import track_url

FIELDS = ("kind", "category", "subject", "description", "name", "phone", "email", "lang", "consent")
OPTIONAL = ("location", "event_time")
MAX_BODY = 64 * 1024


def _lang(value):
    """`?lang=`: a portal language as clients write it (portal.languages.from_tag), else zh-hans."""
    return languages.from_tag(value, default="zh-hans")


def _error(status, errors, **headers):
    response = JsonResponse({"errors": errors}, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _limited(exc):
    return _error(429, {"__all__": [_("Too many requests. Try again later.")]}, Retry_After=str(exc.retry_after))


def _declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _not_json(name):
    raise ValueError(f"{name} is not JSON")


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def _receipt(inquiry, request):
    signed = receipts.receipt(inquiry, inquiry.lang, receipts.base_url(request))
    return {"signature": signed["signature"], "verify_url": signed["verify_url"]}


@require_safe
def options(request):
    return JsonResponse(actions.options(_lang(request.GET.get("lang"))), json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@never_cache
@require_http_methods(["POST"])
def create(request):
    query_lang = _lang(request.GET.get("lang"))
    with translation.override(query_lang):
        content_type = request.content_type or ""
        if content_type != "application/json":
            return _error(415, {"__all__": [_("Send the request body as application/json.")]})
        # The declared size first: reading a body over DATA_UPLOAD_MAX_MEMORY_SIZE would raise.
        if _declared_length(request) > MAX_BODY or len(request.body) > MAX_BODY:
            return _error(413, {"__all__": [_("The request body is too large.")]})
        try:
            body = json.loads(request.body.decode("utf-8"), parse_constant=_not_json)
        except (UnicodeDecodeError, ValueError, RecursionError):
            return _error(400, {"__all__": [_("The request body is not valid JSON.")]})
        if not isinstance(body, dict):
            return _error(400, {"__all__": [_("The request body must be a JSON object.")]})
        if not all(isinstance(name, str) and actions.is_storable_text(name) for name in body):
            return _error(400, {"__all__": [_("The request body is not valid JSON.")]})
    if "lang" in body:  # `EN`, `en-US`, `zh-Hans` are read as on ?lang=; anything else is refused below
        body["lang"] = languages.from_tag(body["lang"], default=body["lang"])
    lang = body.get("lang") if body.get("lang") in Lang.values else query_lang
    with translation.override(lang):
        unknown = sorted(set(body) - set(FIELDS) - set(OPTIONAL))
        if unknown:
            return _error(400, {name: [_("Unknown field.")] for name in unknown})
        key = request.headers.get("Idempotency-Key")
        if key is not None and not (0 < len(key) <= 100):
            return _error(400, {"Idempotency-Key": [_("The Idempotency-Key header must be 1 to 100 characters.")]})
        idempotency_key = f"api:{key}" if key else None
        try:
            # A retry files nothing and gets the first answer: it costs no create budget.
            if not actions.is_retry(idempotency_key):
                ratelimit.hit("inquiry_create", request.client_address)
        except ratelimit.RateLimited as exc:
            return _limited(exc)
        arguments = {name: body.get(name, "") for name in FIELDS if name != "consent"}
        arguments["consent"] = body.get("consent", False)
        arguments["lang"] = body.get("lang", lang)
        arguments["location"] = body.get("location", "")
        arguments["event_time"] = body.get("event_time")
        try:
            result = actions.open_inquiry(
                **arguments,
                channel="api",
                client_address=request.client_address,
                idempotency_key=idempotency_key,
                base_url=receipts.base_url(request),
            )
        except actions.ValidationError as exc:
            return _error(400, exc.errors)
        except actions.IdempotencyConflict as exc:
            return _error(409, {"Idempotency-Key": [str(exc)]})
        inquiry = result.inquiry
        response = JsonResponse(
            {
                "reference": inquiry.reference,
                "access_code": result.access_code,
                "status": inquiry.public_status,
                "due_at": _iso(inquiry.due_at),
                "track_url": track_url(inquiry, inquiry.lang, receipts.base_url(request)),
                "receipt": _receipt(inquiry, request),
            },
            status=201,  # a replay returns the first result, status included
        )
        if not result.created:
            response["Idempotent-Replayed"] = "true"
        return response


@never_cache
@require_GET
def detail(request, reference):
    lang = _lang(request.GET.get("lang"))
    with translation.override(lang):
        not_found = _error(404, {"__all__": [_("No request with this reference and access code.")]})
        wait = ratelimit.retry_after("inquiry_track", request.client_address)
        if wait:
            return _error(429, {"__all__": [_("Too many attempts. Try again later.")]}, Retry_After=str(wait))
        inquiry = actions.lookup(reference, request.headers.get("X-Access-Code", ""))
        if inquiry is None:
            # LocaleMiddleware would turn a 404 on a non-prefixed path into a redirect to
            # /zh-hans/api/… (Wagtail's catch-all makes any path "valid"); judged against a
            # URLconf without language prefixes it leaves the 404 alone.
            request.urlconf = "desk.api_urls"
            try:
                ratelimit.hit("inquiry_track", request.client_address)
            except ratelimit.RateLimited as exc:
                return _limited(exc)
            return not_found
        return JsonResponse(
            {
                "reference": inquiry.reference,
                "kind": inquiry.kind,
                "category": inquiry.category.slug,
                "subject": inquiry.subject,
                "status": inquiry.public_status,
                "status_label": inquiry.get_public_status_display(),
                "created_at": _iso(inquiry.created_at),
                "due_at": _iso(inquiry.due_at),
                "department": inquiry.department.name,
                "timeline": [
                    {
                        "kind": item["kind"],
                        "label": item["label"],
                        "by": item["by"],
                        "text": item["text"],
                        "reason": item["reason"],
                        "at": _iso(item["at"]),
                    }
                    for item in actions.public_timeline(inquiry)
                ],
            },
            json_dumps_params={"ensure_ascii": False},
        )
