"""The site search page, /<lang>/search/ (works without JavaScript)."""

from urllib.parse import urlencode

from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from portal.ratelimit import RateLimited, hit

from . import searchlog
from .forms import SearchForm, SearchPage


def suggested_faqs(lang, limit=6):
    """A few FAQs to offer when nothing was found: one per category, in category order."""
    from cms.models import FAQ

    from . import index

    seen = set()
    out = []
    faqs = (
        FAQ.objects.filter(live=True, locale__language_code=lang)
        .select_related("category")
        .order_by("category__sort_order", "category__name", "pk")
    )
    urls = index._faq_page_urls()
    for faq in faqs[:200]:
        if faq.category_id in seen:
            continue
        seen.add(faq.category_id)
        base = urls.get(faq.locale_id)
        out.append({"title": faq.question, "url": f"{base}#faq-{faq.key}" if base else ""})
        if len(out) >= limit:
            break
    return out


FILTER_LABELS = [("", _("Everything")), ("faq", _("FAQs")), ("guide", _("Service guides")), ("notice", _("Notices"))]
KIND_LABELS = {
    "faq": _("FAQ"),
    "guide": _("Service guide"),
    "notice": pgettext_lazy("search", "Notice"),
    "station": _("Police station"),
    "standard": _("Page"),
}


def _link(result, **changes):
    """?query string of the current search with `changes` (page resets unless given)."""
    params = {"q": result.query, "type": result.type, "all": "1" if result.all_languages else ""}
    for name, value in changes.items():
        params[name] = ("1" if value else "") if name == "all" else value
    return "?" + urlencode({k: v for k, v in params.items() if v not in ("", None)})


def _filter_links(result):
    return [
        {"label": label, "url": _link(result, type=value), "current": value == result.type}
        for value, label in FILTER_LABELS
    ]


def kind_label(hit):
    return KIND_LABELS.get(hit.page_type or hit.kind, "")


@require_safe
def search(request):
    lang = get_language() or "zh-hans"
    if lang not in ("zh-hans", "en"):
        lang = "zh-hans"
    form = SearchForm(request.GET or None)
    status = 200
    result = SearchPage()
    limited = False
    retry_after = None
    if form.is_bound and form.is_valid():
        if form.cleaned_data.get("q"):
            try:
                hit("search", request.client_address)
            except RateLimited as exc:
                limited = True
                status = 429
                retry_after = exc.retry_after
        if not limited:
            result = form.search(lang)
    elif form.is_bound:
        status = 400
    if result.query and not result.total and not limited:
        result.suggestions = suggested_faqs(lang)
    token = None
    if result.query and not limited and not (form.cleaned_data.get("page") or 0) > 1:
        token = searchlog.log_search(result.query, lang, result.total)
    click_url = reverse("search:click")
    for one in result.hits:
        one.label = kind_label(one)
        # Through /search/click/ so that a search with no click can be told apart (works with JS off).
        local = (one.url or "").startswith("/") and not one.url.startswith("//")
        one.link = f"{click_url}?{urlencode({'s': token, 'to': one.url})}" if token and local else one.url
    context = {
        "filters": _filter_links(result),
        "language_link": _link(result, all=not result.all_languages),
        "correction_link": _link(result, q=result.correction, type="") if result.correction else "",
        "previous_link": _link(result, page=result.page.previous_page_number())
        if result.page is not None and result.page.has_previous()
        else "",
        "next_link": _link(result, page=result.page.next_page_number())
        if result.page is not None and result.page.has_next()
        else "",
        "form": form,
        "result": result,
        "limited": limited,
        "lang": lang,
        "chat_url": f"/{lang}/chat/",
        "request_url": f"/{lang}/requests/new/",
    }
    response = render(request, "search/search.html", context, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


@require_safe
def click(request):
    """A result link of the search page: note that the search led to a click, then go to the
    result. Only a path on this site is followed (never another host: no open redirect)."""
    target = request.GET.get("to", "")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return HttpResponseBadRequest(_("Not a page of this site."))
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None, require_https=False):
        return HttpResponseBadRequest(_("Not a page of this site."))
    searchlog.log_click(request.GET.get("s", ""))
    return redirect(target)
