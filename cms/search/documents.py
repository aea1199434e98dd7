"""What is indexed: one document per published FAQ or public page per language (see
docs/search.md "What is indexed")."""

from . import semantic

MAX_BODY_CHARS = 20_000
LANGS = ("zh-hans", "en")


def _suffix(lang):
    return "zh" if lang == "zh-hans" else "en"


MAX_BODY_CHARS = 20_000


def _faq_page_urls():
    from cms.models import FAQIndexPage

    urls = {}
    for page in FAQIndexPage.objects.live().public().select_related("locale"):
        urls.setdefault(page.locale_id, page.get_url())
    return urls


def _faq_doc(faq, faq_urls):
    lang = faq.locale.language_code
    suffix = _suffix(lang)
    base = faq_urls.get(faq.locale_id)
    answer = faq.answer_text[:MAX_BODY_CHARS]
    category = faq.category.name if faq.category_id else ""
    doc = {
        "doc_id": f"faq:{faq.pk}",
        "kind": "faq",
        "page_type": "",
        "lang": lang,
        "key": faq.key,
        "object_id": faq.pk,
        "url": f"{base}#faq-{faq.key}" if base else "",
        "title": faq.question,
        f"title_{suffix}": faq.question,
        f"alt_{suffix}": "\n".join([faq.question, *faq.paraphrase_list]),
        f"category_{suffix}": category,
        f"body_{suffix}": f"{answer}\n{category}" if category else answer,
        "sem": semantic.document_vectors([faq.question, *faq.paraphrase_list], answer),
    }
    if suffix == "en":
        doc["spell_en"] = " ".join([faq.question, *faq.paraphrase_list, category, answer])
    else:
        doc["chars_zh"] = " ".join([faq.question, *faq.paraphrase_list])
        doc["gramq_zh"] = doc["py_zh"] = "\n".join([faq.question, *faq.paraphrase_list])
    return doc


PAGE_MODELS = {}


def _page_models():
    if not PAGE_MODELS:
        from cms.models import NoticePage, ServiceGuidePage, StandardPage, StationPage

        PAGE_MODELS.update(
            {ServiceGuidePage: "guide", NoticePage: "notice", StationPage: "station", StandardPage: "standard"}
        )
    return PAGE_MODELS


def _page_type(page):
    for model, name in _page_models().items():
        if isinstance(page, model):
            return name
    return None


def _page_doc(page):
    lang = page.locale.language_code
    suffix = _suffix(lang)
    page_type = _page_type(page)
    summary = getattr(page, "summary", "") or ""
    body = " ".join(p for p in [summary, page.search_text()] if p)[:MAX_BODY_CHARS]
    category = getattr(page, "service_area", "") or ""
    if page_type == "notice":
        category = page.get_category_display()
    expires = getattr(page, "expires_at", None)
    doc = {
        "doc_id": f"page:{page.pk}",
        "kind": "page",
        "page_type": page_type,
        "lang": lang,
        "key": str(page.pk),
        "object_id": page.pk,
        "url": page.get_url() or "",
        "title": page.title,
        f"title_{suffix}": page.title,
        f"alt_{suffix}": "\n".join(p for p in [page.title, page.search_description] if p),
        f"category_{suffix}": category,
        f"body_{suffix}": f"{body}\n{category}" if category else body,
        "sem": semantic.document_vectors([page.title, page.search_description], summary or body),
    }
    if expires is not None:
        doc["expires_at"] = int(expires.timestamp())
    if suffix == "en":
        doc["spell_en"] = " ".join([page.title, category, body])
    else:
        doc["chars_zh"] = page.title
        doc["gramq_zh"] = doc["py_zh"] = doc[f"alt_{suffix}"]
    return doc


def _is_public_page(page):
    return page.live and not page.get_view_restrictions().exists()


def _published_faqs():
    from cms.models import FAQ

    return FAQ.objects.filter(live=True).select_related("category", "locale").order_by("pk")


def _public_pages(model):
    qs = model.objects.live().public().select_related("locale").order_by("pk")
    if hasattr(qs, "current"):
        qs = qs.current()
    return qs


def _docs_for(items):
    """(doc_id, document or None) for ("faq"|"page", pk) items, read from the database now."""
    from wagtail.models import Page

    from cms.models import FAQ

    faq_urls = None
    out = []
    for kind, pk in items:
        doc = None
        if kind == "faq":
            faq = FAQ.objects.filter(pk=pk, live=True).select_related("category", "locale").first()
            if faq is not None:
                faq_urls = faq_urls if faq_urls is not None else _faq_page_urls()
                doc = _faq_doc(faq, faq_urls)
        else:
            page = Page.objects.filter(pk=pk).select_related("locale").first()
            if page is not None:
                page = page.specific
                if _page_type(page) and _is_public_page(page):
                    doc = _page_doc(page)
        out.append((f"{kind}:{pk}", doc))
    return out


def _all_docs():
    faq_urls = _faq_page_urls()
    for faq in _published_faqs().iterator(chunk_size=500):
        yield _faq_doc(faq, faq_urls)
    for model in _page_models():
        for page in _public_pages(model).iterator(chunk_size=200):
            yield _page_doc(page)
