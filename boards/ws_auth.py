"""WebSocket authentication: a session cookie (browsers) or a Token header (other clients).

Puts `scope["user"]`: an account user, or AnonymousUser (a guest's session is
resolved per workshop by the consumer, since one browser may be a guest in
several workshops). A token that is given but wrong leaves AnonymousUser too:
the consumer then closes with 4001.
"""

from channels.auth import get_user
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

from boards.auth import user_for_token


def _token_from_headers(scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, key = value.decode("latin-1").partition(" ")
            if scheme.lower() == "token" and key.strip():
                return key.strip()
            return ""
    return None


class WebSocketAuthMiddleware:
    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        scope = dict(scope)
        key = _token_from_headers(scope)
        if key is not None:
            user = await database_sync_to_async(user_for_token)(key) if key else None
            scope["user"] = user or AnonymousUser()
            scope["auth_failed"] = user is None
        else:
            scope["user"] = await get_user(scope)
        return await self.inner(scope, receive, send)
