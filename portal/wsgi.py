"""WSGI entry point: the page server behind nginx (gunicorn, deploy/ and `make serve-prod`).

WebSockets (/ws/) are served by the ASGI application (portal/asgi.py, `manage.py serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()
