"""The errors an op or a request can end in, with the wire codes of docs/protocol.md."""


class OpError(Exception):
    code = "invalid"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Invalid(OpError):
    code = "invalid"


class Forbidden(OpError):
    code = "forbidden"


class NotFound(OpError):
    code = "not_found"


class RateLimited(OpError):
    code = "rate_limited"


class TooLarge(OpError):
    code = "too_large"


class Closed(OpError):
    """The workshop is closed: it can be read and exported, not changed or joined."""

    code = "closed"
