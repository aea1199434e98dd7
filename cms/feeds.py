"""Atom feeds of current notices, all or per category, in one language (`?lang=zh-hans|en`).

Feeds carry no language prefix in their URL (like the API and the sitemap). Expired, draft and
private notices never appear. An unknown language or category is a 404.
"""

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from wagtail.models import Locale

from .choices import NoticeCategory
from .models import HomePage, NoticePage

FEED_SIZE = 30


class NoticeFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, category=None):
        lang = request.GET.get("lang", settings.LANGUAGE_CODE)
        if lang not in dict(settings.LANGUAGES):
            raise Http404("unknown language")
        if category is not None and category not in NoticeCategory.values:
            raise Http404("unknown category")
        locale = Locale.objects.filter(language_code=lang).first()
        if locale is None:
            raise Http404("language not set up")
        self.request = request
        return {"lang": lang, "locale": locale, "category": category}

    def __call__(self, request, *args, **kwargs):
        # Titles and labels in the feed's language, whatever the browser prefers.
        lang = request.GET.get("lang", settings.LANGUAGE_CODE)
        with translation.override(lang if lang in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE):
            return super().__call__(request, *args, **kwargs)

    def title(self, obj):
        home = HomePage.objects.live().filter(locale=obj["locale"]).first()
        site = home.title if home else str(settings.WAGTAIL_SITE_NAME)
        if obj["category"]:
            return f"{site}: {NoticeCategory(obj['category']).label}"
        return f"{site}: {_('Notices')}"

    def subtitle(self, obj):
        return _("Current notices of the bureau; expired notices are withdrawn from this feed.")

    def link(self, obj):
        home = HomePage.objects.live().filter(locale=obj["locale"]).first()
        return home.get_url(self.request) if home else f"/{obj['lang']}/"

    def feed_url(self, obj):
        return self.request.get_full_path()

    def items(self, obj):
        qs = NoticePage.objects.live().public().current().filter(locale=obj["locale"])
        if obj["category"]:
            qs = qs.filter(category=obj["category"])
        return qs.order_by("-date", "-id")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.search_text()[:300]

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        """The notice's own date (start of that day in the bureau's time zone), not when its row
        was published: content imported or seeded later keeps the date it was issued."""
        return dt.datetime.combine(item.date, dt.time.min, tzinfo=timezone.get_default_timezone())

    def item_updateddate(self, item):
        return self.item_pubdate(item)

    def item_author_name(self, item):
        return item.department

    def item_categories(self, item):
        return [str(NoticeCategory(item.category).label)]
