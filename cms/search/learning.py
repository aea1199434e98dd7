"""Learning from editors: a citizen's phrasing that search or the chat could not answer
(the chat's "unanswered questions" report, a search that found nothing) is attached to the FAQ
that answers it, as one more paraphrase, in one action. The FAQ is saved as a new revision and
published, so the index takes the phrasing in through cms.search.signals after the commit, and
the next identical or similar question finds that FAQ.

Editors' phrasings hold no personal data by construction: the report shows what citizens typed,
and the editor decides what to keep (the admin form lets them edit the text before attaching).
"""

from django.db import transaction

from cms.faq_import import MAX_PARAPHRASE_LENGTH, MAX_PARAPHRASES

from . import analysis


class AttachError(ValueError):
    pass


def attach_phrasing(faq, phrasing, user=None):
    """Add `phrasing` to `faq`'s paraphrases (the live FAQ, published again). Returns True when
    it was added, False when the FAQ already had it (compared case- and width-insensitively)."""
    text = analysis.normalize(phrasing)
    if not text:
        raise AttachError("empty phrasing")
    if len(text) > MAX_PARAPHRASE_LENGTH:
        raise AttachError(f"longer than {MAX_PARAPHRASE_LENGTH} characters")
    existing = [faq.question, *faq.paraphrase_list]
    if text.casefold() in {analysis.normalize(p).casefold() for p in existing}:
        return False
    if len(faq.paraphrase_list) >= MAX_PARAPHRASES:
        raise AttachError(f"this FAQ already has {MAX_PARAPHRASES} phrasings")
    with transaction.atomic():
        faq.paraphrases = "\n".join([*faq.paraphrase_list, text])
        faq.save()
        faq.save_revision(user=user).publish(user=user)
    return True


def candidate_faqs(phrasing, lang, limit=5):
    """The FAQs search finds for `phrasing` now (the editor picks one, or any other FAQ)."""
    from cms.models import FAQ

    from . import index

    keys = [h.key for h in index.search(phrasing, lang=lang, kind="faq", limit=limit)]
    by_key = {f.key: f for f in FAQ.objects.filter(key__in=keys, locale__language_code=lang)}
    return [by_key[k] for k in keys if k in by_key]
