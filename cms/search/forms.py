"""GET parameters of the search page and the search API, validated, and the search they ask for.

Views stay thin: they validate a form and call its `search()`; the form talks to
cms.search.index (the only thing that knows about Whoosh).
"""

import re
from dataclasses import dataclass, field

from django import forms
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import languages

from . import index

PER_PAGE = 10
MAX_RESULTS = 100  # the search page pages through at most this many hits

# The search page's result filters → (kind, page_type) for index.search.
FILTERS = {
    "": (None, None),
    "faq": ("faq", None),
    "guide": ("page", "guide"),
    "notice": ("page", "notice"),
}


class SearchForm(forms.Form):
    """The site search page: /<lang>/search/?q=…&type=faq|guide|notice&all=1&page=N"""

    q = forms.CharField(label=_("Search for"), required=False, max_length=index.MAX_INPUT_CHARS, strip=True)
    type = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Everything")), ("faq", _("FAQs")), ("guide", _("Service guides")), ("notice", _("Notices"))],
    )
    all = forms.BooleanField(label=pgettext_lazy("search", "All languages"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_RESULTS // PER_PAGE)

    def search(self, lang):
        """A SearchPage for valid input (an empty one for an empty query)."""
        data = self.cleaned_data
        query = data.get("q") or ""
        kind, page_type = FILTERS[data.get("type") or ""]
        result = SearchPage(query=query, type=data.get("type") or "", all_languages=bool(data.get("all")))
        if not query:
            return result
        outcome = index.query(
            query,
            lang=lang,
            kind=kind,
            page_type=page_type,
            all_languages=result.all_languages,
            limit=MAX_RESULTS,
            fallback=True,
        )
        result.correction = outcome.correction if outcome.correction.lower() != query.lower() else ""
        result.searched = outcome.searched
        result.fallback_lang = outcome.fallback_lang
        paginator = Paginator(outcome.hits, PER_PAGE)
        result.page = paginator.get_page(data.get("page") or 1)
        result.total = paginator.count
        return result


@dataclass
class SearchPage:
    query: str = ""
    type: str = ""
    all_languages: bool = False
    correction: str = ""
    searched: str = ""  # the key terms searched when the input was too long
    fallback_lang: str = ""  # results are in this other language (none in the page language)
    total: int = 0
    page: object = None
    suggestions: list = field(default_factory=list)

    @property
    def hits(self):
        return list(self.page.object_list) if self.page is not None else []


class APIForm(forms.Form):
    """What both API forms share: `lang` as clients write it (portal.languages.from_tag; an
    unknown tag is left as it is, and the form refuses it)."""

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("lang"):
            data = data.copy()
            data["lang"] = languages.from_tag(data["lang"], default=data["lang"])
        super().__init__(data, *args, **kwargs)


class APISearchForm(APIForm):
    """GET /api/search?q=…&lang=zh-hans|en&kind=faq|page&limit=N"""

    q = forms.CharField(max_length=index.MAX_INPUT_CHARS, strip=True)
    lang = forms.ChoiceField(choices=[(code, code) for code in index.LANGS], required=False)
    kind = forms.ChoiceField(choices=[(k, k) for k in index.KINDS], required=False)
    limit = forms.IntegerField(min_value=1, max_value=50, required=False)

    def clean_q(self):
        q = self.cleaned_data["q"]
        if not re.search(r"\w", index.clean_query(q)):
            raise forms.ValidationError(_("Type some words to search for."), code="unsearchable")
        return q

    def search(self):
        """The search's Outcome (hits, the text searched when the input was cut, the other
        language when the results are in it)."""
        data = self.cleaned_data
        return index.query(
            data["q"],
            lang=data.get("lang") or "zh-hans",
            kind=data.get("kind") or None,
            limit=data.get("limit") or 10,
            fallback=True,
        )


class APISuggestForm(APIForm):
    """GET /api/search/suggest?q=…&lang=zh-hans|en&limit=N"""

    q = forms.CharField(max_length=index.MAX_INPUT_CHARS, strip=True, required=False)
    lang = forms.ChoiceField(choices=[(code, code) for code in index.LANGS], required=False)
    limit = forms.IntegerField(min_value=1, max_value=10, required=False)

    def suggest(self):
        data = self.cleaned_data
        if not data.get("q"):
            return []
        return index.suggest(data["q"], lang=data.get("lang") or "zh-hans", limit=data.get("limit") or 6)
