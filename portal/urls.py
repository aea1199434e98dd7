"""URL map. Pages carry the language in the URL (/zh-hans/…, /en/…); APIs (/api/…), WebSockets
(/ws/…, see portal.asgi), feeds, the sitemap and robots.txt take none."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import fragments
from cms.sitemaps import PortalSitemap
from desk import receipt_views as desk_receipt_views
from portal import views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PortalSitemap}}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("cms.search.api_urls")),
    path("api/", include("desk.api_urls")),
    path("api/", include("sunshine.api_urls")),
    path("", include("cms.urls")),  # feeds
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("search/", include("cms.search.urls")),
    path("requests/", include("desk.urls")),
    path("verify/", desk_receipt_views.verify_page, name="receipt_verify"),
    path("chat/", include("chatbot.urls")),
    path("sunshine/", include("sunshine.urls")),
    # Wagtail's URLs, its page view replaced by the same view with the route reused across
    # requests (cms/fragments.py): same pattern, same name.
    *[pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"],
    re_path(wagtail_urls.serve_pattern, fragments.serve, name="wagtail_serve"),
    prefix_default_language=True,
)

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
