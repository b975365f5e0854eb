"""Who is asking: account holders and guests, by token or by session.

An account holder authenticates with a DRF token or their session. A guest has
no account: joining a workshop gives them a participant token, which works in
the same `Authorization: Token <key>` header, and a browser keeps the guest's
participant ids in its session.
"""

from django.contrib.auth.models import AnonymousUser
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from boards.models import Board, Participant

SESSION_KEY = "guest_participants"  # {str(workshop_id): participant_id}


class GuestUser(AnonymousUser):
    """A guest in one workshop, standing where request.user is expected.

    Also stands for an account holder who calls with the participant token a
    join gave them: that token opens its workshop and nothing else.
    """

    def __init__(self, participant: Participant):
        self.participant = participant

    @property
    def is_authenticated(self):
        return True

    @property
    def is_anonymous(self):
        return False

    def __str__(self):
        return f"guest {self.participant.display_name}"


def user_for_token(key: str):
    """The account user or GuestUser a token belongs to, or None."""
    token = Token.objects.select_related("user").filter(key=key).first()
    if token is not None:
        return token.user if token.user.is_active else None
    participant = (
        Participant.objects.select_related("workshop", "user")
        .filter(token=key, removed_at__isnull=True)
        .first()
    )
    if participant is None:
        return None
    if participant.user_id is not None and not participant.user.is_active:
        return None
    # A participant token is scoped to its workshop, an account holder's too:
    # it stands for that participant only, never for the whole account.
    return GuestUser(participant)


def remember_guest(session, participant: Participant) -> None:
    guests = dict(session.get(SESSION_KEY, {}))
    guests[str(participant.workshop_id)] = participant.id
    session[SESSION_KEY] = guests


def guest_from_session(session, workshop_id: int) -> GuestUser | None:
    participant_id = (session.get(SESSION_KEY) or {}).get(str(workshop_id))
    if participant_id is None:
        return None
    participant = Participant.objects.filter(
        id=participant_id, workshop_id=workshop_id, removed_at__isnull=True, user__isnull=True
    ).first()
    return GuestUser(participant) if participant else None


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        user = user_for_token(key)
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        return (user, key)


class GuestSessionAuthentication(authentication.BaseAuthentication):
    """A guest's browser session, for REST reads of a board the page shows (the curve).

    Guests have no Django login: their session holds their participant per
    workshop (remember_guest), so the board in the URL decides which one.
    Only for safe methods: writes go through the WebSocket or a token (or, for
    the op door over HTTP, GuestSessionOpsAuthentication with its CSRF check).
    """

    def authenticate(self, request):
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            return None
        return self.guest(request)

    def guest(self, request):
        session = getattr(request._request, "session", None)
        board_id = (request.parser_context or {}).get("kwargs", {}).get("board_id")
        if session is None or board_id is None or not session.get(SESSION_KEY):
            return None
        workshop_id = Board.objects.filter(id=board_id).values_list("workshop_id", flat=True).first()
        guest = guest_from_session(session, workshop_id) if workshop_id else None
        return (guest, None) if guest else None


class GuestSessionOpsAuthentication(GuestSessionAuthentication, authentication.SessionAuthentication):
    """A guest's browser session for `POST /api/v1/boards/{id}/ops/`: the event-stream fallback sends ops so.

    Writes with a cookie need Django's CSRF check, exactly as DRF's
    SessionAuthentication does it for account holders (its enforce_csrf).
    """

    def authenticate(self, request):
        found = self.guest(request)
        if found is not None and request.method not in ("GET", "HEAD", "OPTIONS"):
            self.enforce_csrf(request)
        return found

    def authenticate_header(self, request):
        return None
