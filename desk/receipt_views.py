"""Signed receipts (电子签章) for people and programs; thin views over `desk.receipts`.

- /<lang>/verify/?ref=…&sig=…               anyone checks a receipt (form; works without JavaScript)
- /<lang>/requests/track/<ref>/receipt/     the printable receipt of a request tracked in this browser
- GET /api/receipts/verify?ref=…&sig=…      JSON: {"valid": true, …} or {"valid": false}, 200 both
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal import ratelimit

from . import receipts
from .choices import Kind
from .models import Department

MAX_VALUE = 200


def _params(request):
    ref = request.GET.get("ref", "")[:MAX_VALUE].strip()
    sig = request.GET.get("sig", "")[:MAX_VALUE].strip()
    return ref, sig


def _lang(request):
    return "en" if (getattr(request, "LANGUAGE_CODE", "") or "").startswith("en") else "zh-hans"


@require_GET
def verify_api(request):
    """{"valid": true, "reference", "kind", "department", "filed_at"} or {"valid": false}."""
    try:
        ratelimit.hit("receipt_verify", request.client_address)
    except ratelimit.RateLimited as exc:
        response = JsonResponse({"errors": {"__all__": [_("Too many requests. Try again later.")]}}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    ref, sig = _params(request)
    response = JsonResponse(receipts.verify(ref, sig))
    add_never_cache_headers(response)
    return response


@require_GET
def verify_page(request):
    """The same check for people: a form with the reference and the signature, and the answer."""
    ref, sig = _params(request)
    context = {"ref": ref, "sig": sig, "checked": bool(ref or sig), "result": None, "status": 200}
    if context["checked"]:
        try:
            ratelimit.hit("receipt_verify", request.client_address)
        except ratelimit.RateLimited:
            context["limited"] = True
            context["status"] = 429
        else:
            result = receipts.verify(ref, sig)
            if result["valid"]:
                department = Department.objects.filter(slug=result["department"]).first()
                result = {
                    **result,
                    "kind_label": Kind(result["kind"]).label,
                    "department_name": department.name if department else result["department"],
                    "filed_at_time": parse_datetime(result["filed_at"]),
                    "short_code": receipts.short_code(sig),
                }
            context["result"] = result
    response = render(request, "desk/public/verify.html", context, status=context.pop("status"))
    add_never_cache_headers(response)
    return response


def seal_context(request, inquiry):
    """What `desk/public/_seal.html` shows: the signature, its short code and a QR code."""
    signed = receipts.receipt(inquiry, _lang(request), receipts.base_url(request))
    return {"signed": signed, "qr": receipts.qr_svg(signed["verify_url"], title=_("QR code: check this receipt"))}
