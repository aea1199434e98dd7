"""JSON search API (see docs/api-search.md). Bad parameters get a 400 with a JSON error, a
client over its rate limit a 429; never a 500 for anything a client can send."""

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from portal.ratelimit import RateLimited, hit

from .forms import APISearchForm, APISuggestForm


def _error(status, code, message, fields=None, headers=None):
    body = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"  # "Responses carry Cache-Control: no-store": errors too
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _limited(request):
    try:
        hit("search", request.client_address)
    except RateLimited as exc:
        return _error(
            429, "rate_limited", "Too many requests; try again later.", headers={"Retry-After": str(exc.retry_after)}
        )
    return None


def _invalid(form):
    fields = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    return _error(400, "invalid", "Invalid parameters.", fields=fields)


def _json(data):
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def search(request):
    """GET /api/search?q=…&lang=zh-hans|en&kind=faq|page&limit=N"""
    form = APISearchForm(request.GET)
    if not form.is_valid():
        return _invalid(form)
    limited = _limited(request)
    if limited:
        return limited
    outcome = form.search()
    results = [
        {
            "kind": h.kind,
            "key": h.key,
            "lang": h.lang,
            "title": h.title,
            "url": h.url,
            "snippet": h.snippet,
            "score": h.score,
        }
        for h in outcome.hits
    ]
    body = {"results": results, "lang": outcome.fallback_lang or form.cleaned_data.get("lang") or "zh-hans"}
    body["language_fallback"] = bool(outcome.fallback_lang)
    if outcome.searched:
        body["searched"] = outcome.searched
    return _json(body)


@require_safe
def suggest(request):
    """GET /api/search/suggest?q=…&lang=zh-hans|en&limit=N"""
    form = APISuggestForm(request.GET)
    if not form.is_valid():
        return _invalid(form)
    limited = _limited(request)
    if limited:
        return limited
    return _json({"suggestions": form.suggest()})
