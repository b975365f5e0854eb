"""ASGI entry point: HTTP through Django, WebSockets through Channels."""

import os
import sys

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop.settings")
# Every op runs on the one ORM thread, which gives up the GIL at each SQL
# statement and fsync and must then wait for the event loop thread to hand it
# back: by default after up to 5 ms, a dozen times per op. A shorter switch
# interval keeps the op door from queueing behind deliveries (BENCHMARKS.md).
sys.setswitchinterval(0.0005)
django_asgi_app = get_asgi_application()  # before anything imports models

from workshop.apps import stop_unless_services_answer  # noqa: E402

# The ASGI server runs no system checks: a wrong or unreachable DATABASE_URL or
# REDIS_URL would otherwise show only as 500s and closed sockets. In-process
# tests import this module to drive consumers, where pytest-django refuses any
# database access outside a test; the servers they start do run the check.
if "pytest" not in sys.modules:
    stop_unless_services_answer()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402

from boards.routing import websocket_urlpatterns  # noqa: E402
from boards.ws_auth import WebSocketAuthMiddleware  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SessionMiddlewareStack(WebSocketAuthMiddleware(URLRouter(websocket_urlpatterns))),
    }
)
