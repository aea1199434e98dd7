from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse, JsonResponse
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


TOO_LARGE = "请求内容过大。The request is too large."
TOO_MANY_FIELDS = "请求包含的字段过多。The request has too many fields."


def _refusal(request, status, message):
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"errors": {"__all__": [message]}}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class RequestSizeMiddleware:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE is answered 413 before anything reads it.

    Django would raise RequestDataTooBig when a view or CSRF check first reads the body, which
    ends as a 400 with a traceback in the log. Here the declared length decides at once, and a
    body that turns out too large (or with too many fields) while being parsed gets a clean
    413/400. Multipart uploads under /admin/ (images, documents) are left to Django, whose limit
    counts only their non-file fields."""

    UPLOADS = ("/admin/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and not (
            request.content_type == "multipart/form-data" and request.path_info.startswith(self.UPLOADS)
        ):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return _refusal(request, 413, TOO_LARGE)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            return _refusal(request, 413, TOO_LARGE)
        if isinstance(exception, TooManyFieldsSent):
            return _refusal(request, 400, TOO_MANY_FIELDS)
        return None


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (a view that sets its
    own keeps it); the policies are settings (portal/settings/base.py)."""

    ADMIN = "/admin/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        admin = request.path_info.startswith(self.ADMIN)
        policy = settings.ADMIN_CONTENT_SECURITY_POLICY if admin else settings.CONTENT_SECURITY_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
