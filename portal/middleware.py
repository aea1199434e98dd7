from .net import request_address


class ClientAddressMiddleware:
    """Sets request.client_address: the real client behind trusted proxies (see portal.net)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_address = request_address(request)
        return self.get_response(request)
