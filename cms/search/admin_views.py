"""Admin view: attach a citizen's phrasing to an FAQ (cms.search.learning). Thin: validates a
form and calls `attach_phrasing`."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.faq_import import MAX_PARAPHRASE_LENGTH

from . import learning, searchlog

PERMISSION = "cms.publish_faq"


class AttachForm(forms.Form):
    phrasing = forms.CharField(
        label=_("The citizen's words"), max_length=MAX_PARAPHRASE_LENGTH, strip=True, widget=forms.TextInput
    )
    lang = forms.ChoiceField(label=_("Language"), choices=[("zh-hans", "中文"), ("en", "English")])
    faq = forms.ModelChoiceField(label=_("FAQ that answers it"), queryset=None, empty_label=None)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, lang="zh-hans", candidates=(), **kwargs):
        from cms.models import FAQ

        super().__init__(*args, **kwargs)
        queryset = FAQ.objects.filter(live=True, locale__language_code=lang).order_by("question")
        self.fields["faq"].queryset = queryset
        first = [f.pk for f in candidates]
        self.fields["faq"].choices = [
            *[(f.pk, f"★ {f.question}") for f in candidates],
            *[(f.pk, f.question) for f in queryset if f.pk not in first],
        ]


class AttachView(WagtailAdminTemplateMixin, TemplateView):
    """GET ?q=…&lang=…: the phrasing with the FAQs search finds for it first; POST: attach."""

    template_name = "search/admin/attach.html"
    page_title = _("Teach search a citizen's words")
    header_icon = "help"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": self.get_page_title()}]

    def _setup(self, data):
        self.lang = data.get("lang") if data.get("lang") in ("zh-hans", "en") else "zh-hans"
        self.phrasing = (data.get("phrasing") or data.get("q") or "").strip()
        self.candidates = learning.candidate_faqs(self.phrasing, self.lang) if self.phrasing else []

    def get(self, request, *args, **kwargs):
        self._setup(request.GET)
        initial = {"phrasing": self.phrasing, "lang": self.lang, "next": request.GET.get("next", "")}
        if self.candidates:
            initial["faq"] = self.candidates[0].pk
        form = AttachForm(initial=initial, lang=self.lang, candidates=self.candidates)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        self._setup(request.POST)
        form = AttachForm(request.POST, lang=self.lang, candidates=self.candidates)
        if form.is_valid():
            faq = form.cleaned_data["faq"]
            try:
                added = learning.attach_phrasing(faq, form.cleaned_data["phrasing"], user=request.user)
            except learning.AttachError as exc:
                form.add_error("phrasing", str(exc))
            else:
                if added:
                    messages.success(
                        request, _("Added to “%(faq)s”: search now finds it for these words.") % {"faq": faq.question}
                    )
                else:
                    messages.info(request, _("“%(faq)s” already has these words.") % {"faq": faq.question})
                target = form.cleaned_data.get("next") or ""
                if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                    target = ""
                return redirect(target or "search_admin:attach")
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(candidates=self.candidates, phrasing=self.phrasing)
        return context


attach = AttachView.as_view()


class NoClickReportView(WagtailAdminTemplateMixin, TemplateView):
    """Searches of the last 30 days that led to no click, most frequent first; each row links to
    the attach form (the same action as the chat's unanswered questions)."""

    template_name = "search/admin/no_click.html"
    page_title = _("Searches with no click")
    header_icon = "search"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lang = self.request.GET.get("lang", "")
        lang = lang if lang in ("zh-hans", "en") else ""
        context.update(
            rows=searchlog.no_click_report(lang=lang or None)[:200],
            lang=lang,
            days=searchlog.KEEP_DAYS,
            here=self.request.get_full_path(),
        )
        return context


no_click = NoClickReportView.as_view()
