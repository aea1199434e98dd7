"""Public pages of the desk: file a request, see the receipt once, track, follow up, rate.

Thin views over `desk.actions`. Everything works without JavaScript (POST-redirect-GET).
Access to a tracked request is kept in the session after a successful reference + access code
check (so the follow-up and rating forms need no code in the URL or a hidden field).
"""

import secrets

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal import ratelimit

from . import actions, receipt_views, receipts
from .choices import ACTIVE_STATUSES, CONTACT_RULES, Kind, Status
from .forms import FollowupForm, InquiryForm, RatingForm, TrackForm
from .models import Department, FollowUp, Inquiry, Rating

RECEIPT_KEY = "desk_receipt"
ACCESS_KEY = "desk_access"
MAX_TRACKED = 20


def _lang():
    lang = get_language() or "zh-hans"
    return "en" if lang.startswith("en") else "zh-hans"


def _private(response):
    add_never_cache_headers(response)
    return response


def _contact_rules():
    labels = {
        "name": pgettext("contact field", "name"),
        "phone": pgettext("contact field", "phone"),
        "email": pgettext("contact field", "e-mail"),
    }
    separator = "、" if _lang() == "zh-hans" else ", "
    rows = []
    for kind in Kind:
        rule = CONTACT_RULES[kind]
        if rule["required"]:
            text = _("required: %(fields)s") % {"fields": separator.join(labels[f] for f in rule["required"])}
        elif rule["one_of"]:
            text = _("a phone number or an e-mail address")
        else:
            text = _("optional: you may stay anonymous")
        rows.append({"kind": kind.label, "text": text})
    return rows


def _render_new(request, form, status=200):
    context = {"form": form, "contact_rules": _contact_rules(), "privacy_url": f"/{_lang()}/privacy/"}
    return _private(render(request, "desk/public/new.html", context, status=status))


def _grant(request, inquiry):
    access = dict(request.session.get(ACCESS_KEY) or {})
    access[inquiry.reference] = inquiry.pk
    if len(access) > MAX_TRACKED:
        access = dict(list(access.items())[-MAX_TRACKED:])
    request.session[ACCESS_KEY] = access
    request.session.cycle_key()


def _granted(request, reference):
    pk = (request.session.get(ACCESS_KEY) or {}).get(reference)
    if pk is None:
        return None
    return Inquiry.objects.select_related("department", "category").filter(pk=pk, reference=reference).first()


def index(request):
    return redirect("desk:new")


@require_http_methods(["GET", "POST"])
def new(request):
    """The request form; on success the receipt (reference and access code) is shown once."""
    if request.method == "GET":
        return _render_new(request, InquiryForm(lang=_lang()))
    form = InquiryForm(request.POST, lang=_lang())
    if request.POST.get("website"):
        form.is_valid()
        form.add_error(None, _("Your request could not be accepted. Please try again or call us."))
        return _render_new(request, form, status=400)
    if not form.is_valid():
        return _render_new(request, form, status=400)
    idempotency_key = "form:" + form.cleaned_data["form_token"]
    try:
        if not actions.is_retry(idempotency_key):  # a double submission files nothing new
            ratelimit.hit("inquiry_create", request.client_address)
    except ratelimit.RateLimited:
        form.add_error(None, _("Too many requests from your connection. Please wait a few minutes and try again."))
        return _render_new(request, form, status=429)
    try:
        result = actions.open_inquiry(
            **form.action_kwargs(),
            channel="web",
            client_address=request.client_address,
            idempotency_key=idempotency_key,
            base_url=receipts.base_url(request),
        )
    except actions.ValidationError as exc:
        form.add_action_errors(exc)
        return _render_new(request, form, status=400)
    except actions.IdempotencyConflict:
        data = request.POST.copy()
        data["form_token"] = secrets.token_urlsafe(24)
        form = InquiryForm(data, lang=_lang())
        form.is_valid()
        form.add_error(None, _("This form had already been sent with other content. Check it and send it again."))
        return _render_new(request, form, status=409)
    request.session[RECEIPT_KEY] = {"reference": result.inquiry.reference, "access_code": result.access_code}
    _grant(request, result.inquiry)
    return redirect("desk:done")


def done(request):
    """The receipt, shown once: a reload shows the reference only."""
    receipt = request.session.pop(RECEIPT_KEY, None)
    context = {"receipt": receipt, "track_url": reverse("desk:track")}
    if receipt:
        inquiry = Inquiry.objects.filter(reference=receipt["reference"]).first()
        context["inquiry"] = inquiry
        context["track_url"] = reverse("desk:track") + f"?reference={receipt['reference']}"
        if inquiry is not None:
            context.update(receipt_views.seal_context(request, inquiry))
    return _private(render(request, "desk/public/done.html", context))


@require_http_methods(["GET", "POST"])
def track(request):
    """Reference + access code → the request. Wrong or unknown: one generic answer, rate limited."""
    if request.method == "GET":
        form = TrackForm(initial={"reference": request.GET.get("reference", "")[:30]})
        return _private(render(request, "desk/public/track.html", {"form": form}))
    form = TrackForm(request.POST)
    generic = _("We could not find a request with this reference and access code. Check both and try again.")
    status = 200
    if ratelimit.is_limited("inquiry_track", request.client_address):
        form.is_valid()
        form.add_error(None, _("Too many attempts. Please wait a few minutes and try again."))
        status = 429
    elif form.is_valid():
        inquiry = actions.lookup(form.cleaned_data["reference"], form.cleaned_data["access_code"])
        if inquiry is not None:
            _grant(request, inquiry)
            return redirect("desk:detail", reference=inquiry.reference)
        try:
            ratelimit.hit("inquiry_track", request.client_address)
            form.add_error(None, generic)
        except ratelimit.RateLimited:
            form.add_error(None, _("Too many attempts. Please wait a few minutes and try again."))
            status = 429
    return _private(render(request, "desk/public/track.html", {"form": form}, status=status))


def _render_detail(request, inquiry, followup_form=None, rating_form=None, status=200):
    rating = Rating.objects.filter(inquiry=inquiry).first()
    context = {
        "inquiry": inquiry,
        "timeline": actions.public_timeline(inquiry),
        "followup_form": (followup_form or FollowupForm()) if inquiry.status in ACTIVE_STATUSES else None,
        "rating_form": (rating_form or RatingForm()) if inquiry.status == Status.CLOSED and not rating else None,
        "rating": rating,
        "follow_up": FollowUp.objects.filter(inquiry=inquiry).first() if rating else None,
    }
    return _private(render(request, "desk/public/detail.html", context, status=status))


def detail(request, reference):
    inquiry = _granted(request, reference)
    if inquiry is None:
        return redirect(reverse("desk:track") + f"?reference={reference}")
    return _render_detail(request, inquiry)


@require_POST
def message(request, reference):
    inquiry = _granted(request, reference)
    if inquiry is None:
        return redirect(reverse("desk:track") + f"?reference={reference}")
    form = FollowupForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, inquiry, followup_form=form, status=400)
    try:
        ratelimit.hit("inquiry_followup", request.client_address)
        actions.add_followup(inquiry, form.cleaned_data["text"], client_address=request.client_address)
    except ratelimit.RateLimited:
        form.add_error(None, _("Too many messages. Please wait a few minutes and try again."))
        return _render_detail(request, inquiry, followup_form=form, status=429)
    except actions.ValidationError as exc:
        for field, errors in exc.items():
            for error in errors:
                form.add_error("text" if field == "text" else None, error)
        return _render_detail(request, inquiry, followup_form=form, status=400)
    messages.success(request, _("Your message has been sent."))
    return redirect("desk:detail", reference=reference)


@require_POST
def rate(request, reference):
    inquiry = _granted(request, reference)
    if inquiry is None:
        return redirect(reverse("desk:track") + f"?reference={reference}")
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, inquiry, rating_form=form, status=400)
    try:
        ratelimit.hit("inquiry_followup", request.client_address)
        actions.rate_inquiry(
            inquiry,
            form.cleaned_data["score"],
            form.cleaned_data["comment"],
            indicators=form.indicators(),
            client_address=request.client_address,
        )
    except ratelimit.RateLimited:
        form.add_error(None, _("Too many messages. Please wait a few minutes and try again."))
        return _render_detail(request, inquiry, rating_form=form, status=429)
    except actions.ValidationError as exc:
        for errors in exc.errors.values():
            for error in errors:
                form.add_error(None, error)
        return _render_detail(request, inquiry, rating_form=form, status=400)
    messages.success(request, _("Thank you for your rating."))
    return redirect("desk:detail", reference=reference)


def forget(request, reference):
    """Stop showing this request in this browser (shared computers)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    access = dict(request.session.get(ACCESS_KEY) or {})
    access.pop(reference, None)
    request.session[ACCESS_KEY] = access
    return redirect("desk:track")


def rate_link(request, token):
    """The rating link of the closing notice (e-mail/SMS): a signed token stands for the
    reference and access code; it opens the tracking page at the rating form."""
    from .rating_notices import read_rate_token

    found = read_rate_token(token)
    inquiry = Inquiry.objects.filter(pk=found[1], reference=found[0]).first() if found else None
    if inquiry is None or inquiry.anonymized_at is not None:
        messages.error(request, _("This rating link is not valid any more. Track your request with its access code."))
        return redirect("desk:track")
    _grant(request, inquiry)
    return redirect(reverse("desk:detail", args=[inquiry.reference]) + "#rate")


def printable(request, reference):
    """The receipt to print or keep: what was filed, when, with whom, and the bureau's seal."""
    inquiry = _granted(request, reference)
    if inquiry is None:
        return redirect(reverse("desk:track") + f"?reference={reference}")
    context = {
        "inquiry": inquiry,
        **receipt_views.seal_context(request, inquiry),
        "filed_department": Department.objects.filter(slug=receipts.filed_department(inquiry)).first(),
    }
    response = render(request, "desk/public/receipt.html", context)
    add_never_cache_headers(response)
    return response
