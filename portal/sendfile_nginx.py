"""Wagtail's document serving through nginx (SENDFILE_BACKEND): Django decides, nginx sends.

The response carries no body, only `X-Accel-Redirect` to the internal location that maps
SENDFILE_URL to MEDIA_ROOT (deploy/nginx/portal.conf); Wagtail adds Content-Type and
Content-Disposition. A path outside MEDIA_ROOT is refused.
"""

import os
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse


class AcceleratedResponse(HttpResponse):
    """An empty response that nginx replaces with the file.

    Wagtail's `sendfile` sets Content-Length to the file's size on whatever the backend returns;
    on this body-less response that header would be a lie, which an ASGI server refuses
    ("Response content shorter than Content-Length") and a WSGI server passes on. nginx sets
    the length of the file it sends, so the header is dropped here.
    """

    def __setitem__(self, header, value):
        if header.lower() == "content-length":
            return
        super().__setitem__(header, value)


def sendfile(request, filename, **kwargs):
    root = os.path.realpath(settings.MEDIA_ROOT)
    path = os.path.realpath(filename)
    if os.path.commonpath([root, path]) != root:
        raise SuspiciousFileOperation(f"{filename} is not under MEDIA_ROOT")
    relative = os.path.relpath(path, root).replace(os.sep, "/")
    response = AcceleratedResponse()
    response["X-Accel-Redirect"] = settings.SENDFILE_URL + quote(relative)
    return response
