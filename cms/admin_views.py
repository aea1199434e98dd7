"""Admin views of the content app beyond Wagtail's own: the FAQ import (the JSONL file that
`manage.py import_faqs` takes), all or nothing, with the same report."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .faq_import import FAQImportError, import_faqs

MAX_UPLOAD = 5 * 1024 * 1024
PERMISSIONS = ("cms.add_faq", "cms.change_faq")


def can_import(user):
    return user.has_perms(PERMISSIONS)


class FAQImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("FAQ file (JSON Lines)"),
        help_text=gettext_lazy(
            "One FAQ per line: key, lang, category, question, answer, optionally paraphrases. "
            "Nothing is imported if any line is invalid."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".jsonl,.json,.txt,application/jsonl,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc
        return text.splitlines()


def faq_import(request):
    """GET: the form; POST: import, then back to the FAQ list with the report, or the form with
    the first invalid line's number and reason (nothing imported)."""
    if not can_import(request.user):
        raise PermissionDenied
    form = FAQImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = import_faqs(form.cleaned_data["file"])
        except FAQImportError as exc:
            form.add_error(
                "file",
                _("Line %(line)s: %(reason)s. Nothing was imported.") % {"line": exc.line_number, "reason": exc.reason},
            )
        else:
            messages.success(
                request,
                _("FAQs imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            )
            return redirect("wagtailsnippets_cms_faq:list")
    return TemplateResponse(
        request,
        "cms/admin/faq_import.html",
        {"form": form, "page_title": _("Import FAQs"), "header_icon": "upload"},
        status=400 if form.errors else 200,
    )
