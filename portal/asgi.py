"""ASGI entry point: one server process speaks HTTP and WebSocket (/ws/…)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
django_asgi_app = get_asgi_application()  # before importing anything that touches models

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from chatbot.routing import websocket_urlpatterns as chat_ws  # noqa: E402
from desk.routing import websocket_urlpatterns as desk_ws  # noqa: E402

if os.environ.get("PORTAL_WARM_UP", "true").lower() not in ("0", "false", "no"):
    # Load the search index and the segmenters in the background while the server starts.
    import threading  # noqa: E402

    from chatbot.engine.lookup import warm_up  # noqa: E402

    threading.Thread(target=warm_up, name="warm-up", daemon=True).start()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter([*chat_ws, *desk_ws]))),
    }
)
