from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .net import request_address


class ClientAddressMiddleware:
    """Sets request.client_address: the real client behind trusted proxies (see portal.net)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_address = request_address(request)
        return self.get_response(request)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except that a 404 under a path that has no language prefix
    (/admin/, /api/, feeds, documents, static files…) stays a 404.

    Django redirects a 404 on an unprefixed path to /zh-hans/<path> whenever that path would
    resolve; Wagtail's page catch-all makes every path "resolve", so without this a mistyped
    admin or API URL would bounce to a public page instead of saying "not found".
    """

    UNPREFIXED = ("/admin/", "/api/", "/documents/", "/feeds/", "/static/", "/media/", "/i18n/", "/ws/")

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(self.UNPREFIXED):
            response.headers.setdefault("Content-Language", translation.get_language())
            patch_vary_headers(response, ("Accept-Language",))
            return response
        return super().process_response(request, response)
