"""/healthz: does the database answer, does the channel layer answer.

Both checks are cheap and direct (workshop/services.py), so an idle process
answers 200 as fast as a busy one; a 503 names what failed. The details (host,
error) go to the server's log, not to whoever probes.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.http import JsonResponse

from workshop.services import channel_layer_problem, database_problem

log = logging.getLogger(__name__)


def healthz(request):
    problems = {
        "database": database_problem(),
        "channel_layer": async_to_sync(channel_layer_problem)(get_channel_layer()),
    }
    body = {"status": "ok", **{name: problem is None for name, problem in problems.items()}}
    failing = [name for name, problem in problems.items() if problem]
    if not failing:
        return JsonResponse(body)
    for name in failing:
        log.warning("healthz: %s", problems[name])
    body["status"] = "failing"
    body["problems"] = [PUBLIC_NAMES[name]() + " does not answer" for name in failing]
    return JsonResponse(body, status=503)


PUBLIC_NAMES = {
    "database": lambda: "the database (DATABASE_URL)",
    "channel_layer": lambda: (
        "the channel layer (REDIS_URL)"
        if getattr(settings, "REDIS_URL", None)
        else "the channel layer (in-memory)"
    ),
}
