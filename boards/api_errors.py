"""Every answer under /api/ that is an error is JSON `{"code", "message"}` (docs/protocol.md, "REST errors").

DRF's exception handler (boards.api.exception_handler) covers the views; this
middleware covers what happens before or around them: a URL that matches no
view (a malformed id such as /api/v1/boards/abc/ included), and a crash that
Django would answer with its HTML error page.
"""

from django.http import JsonResponse

CODES = {
    400: ("invalid", "The request is not valid."),
    401: ("unauthenticated", "Authentication credentials were not provided."),
    403: ("forbidden", "You may not do that."),
    404: ("not_found", "There is nothing at this address."),
    405: ("method_not_allowed", "That method is not allowed here."),
    413: ("too_large", "The request is too large."),
    415: ("unsupported_media_type", "Send application/json."),
    429: ("rate_limited", "Too many requests; wait a moment and try again."),
}


def json_error(status: int) -> JsonResponse:
    code, message = CODES.get(
        status, ("server_error" if status >= 500 else "invalid", "Something went wrong.")
    )
    if status >= 500:
        message = "Something went wrong on our side; nothing was changed by this request."
    return JsonResponse({"code": code, "message": message}, status=status)


class ApiErrorsAsJsonMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return json_error(response.status_code)
        return response
