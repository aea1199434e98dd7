"""sitemap.xml for both languages: Wagtail's sitemap covers the site's root page only, and the
English home is a sibling of the Chinese one (a translation), not below it. Expired notices
are left out like from every other listing."""

from django.utils import timezone
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class PortalSitemap(Sitemap):
    def items(self):
        from cms.models import NoticePage

        root = self.get_wagtail_site().root_page
        pages = Page.objects.none()
        for home in root.get_translations(inclusive=True):
            pages = pages | Page.objects.descendant_of(home, inclusive=True)
        expired = NoticePage.objects.filter(expires_at__lte=timezone.now()).values("id")
        return pages.live().public().exclude(id__in=expired).order_by("path").defer_streamfields().specific()
