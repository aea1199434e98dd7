"""Fixtures for search tests: a fresh index directory per test, a small page tree, FAQs.

Content is published the way editors publish (revisions, Wagtail signals), inside
`django_capture_on_commit_callbacks(execute=True)`, so the index is updated exactly as it is in
production: by cms.search.signals after the transaction commits.
"""

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from cms import factories
from cms.models import (
    FAQ,
    FAQIndexPage,
    HomePage,
    NoticeIndexPage,
    ServiceGuideIndexPage,
)
from cms.search import index, synonyms


@pytest.fixture(autouse=True)
def search_dir(settings, tmp_path):
    """Point the index at an empty directory for this test."""
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    index._forget()
    synonyms.invalidate()
    yield settings.SEARCH_INDEX_DIR
    index._forget()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a block and then its on-commit callbacks, as a real commit would."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def locales(db):
    zh = Locale.objects.get_or_create(language_code="zh-hans")[0]
    en = Locale.objects.get_or_create(language_code="en")[0]
    return {"zh-hans": zh, "en": en}


@pytest.fixture
def site(locales, search_dir, commit):
    """HomePage (zh-hans) as the default site's root, with guide, notice and FAQ indexes."""
    root = Page.get_first_root_node()
    home = HomePage(title="阳光市公安局", slug="zh-hans", locale=locales["zh-hans"])
    root.add_child(instance=home)
    Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home, "hostname": "localhost"})
    guides = ServiceGuideIndexPage(title="办事指南", slug="guides", locale=locales["zh-hans"])
    home.add_child(instance=guides)
    notices = NoticeIndexPage(title="通知公告", slug="notices", locale=locales["zh-hans"])
    home.add_child(instance=notices)
    faq_page = FAQIndexPage(title="常见问题", slug="faq", locale=locales["zh-hans"])
    home.add_child(instance=faq_page)
    return {"home": home, "guides": guides, "notices": notices, "faq": faq_page, **locales}


@pytest.fixture
def make_faq(locales, commit):
    """Create and publish an FAQ with the shared factory (published=False leaves it a draft)."""

    def make(key, question, answer, lang="zh-hans", paraphrases=(), category="general", published=True):
        locale = locales[lang]
        twin = FAQ.objects.filter(key=key).exclude(locale=locale).first()
        return commit(
            factories.make_faq,
            key=key,
            question=question,
            answer=f"<p>{answer}</p>",
            paraphrases=paraphrases,
            category=factories.ensure_faq_category(category, category, locale=locale),
            locale=locale,
            translation_of=twin,
            live=published,
        )

    return make


@pytest.fixture
def make_guide(site, commit):
    def make(title, summary, fees="免费", slug=None, published=True):
        return commit(
            factories.make_guide,
            site["guides"],
            title=title,
            slug=slug,
            summary=summary,
            eligibility="<p>本市居民</p>",
            materials=(),
            steps=(),
            fees=fees,
            time_limit="15个工作日",
            live=published,
        )

    return make


@pytest.fixture
def make_notice(site, commit):
    def make(title, summary, expires_at=None, published=True):
        return commit(
            factories.make_notice,
            site["notices"],
            title=title,
            summary=summary,
            department="市公安局",
            expires_at=expires_at,
            body=[],
            live=published,
        )

    return make


def keys(hits):
    return [h.key for h in hits]


def in_a_day():
    return timezone.now() + dt.timedelta(days=1)
