"""Brute-force limits on passwords: log-in (page and API token) and password reset.

Log-in failures are counted by django-axes per account *and* client address
(README, "Limits"): ten wrong passwords for one account from one address lock
that pair out for a quarter of an hour, while other people, and the same
person from another address, log in as usual. Axes keeps its counts in the
database, which every server process shares. Password reset mails are
limited here, counted in the `default` cache (shared when it is Redis or the
database cache).
"""

from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from rest_framework.throttling import BaseThrottle

LOCKOUT_MESSAGE = "Too many failed log-ins for this account from here. Wait 15 minutes, then try again."
RESET_MESSAGE = "Too many password reset requests from here. Wait an hour, then try again."
# Reset mails asked for from one address in an hour: enough for typos, too few
# to flood someone's inbox or probe many addresses.
RESETS_PER_HOUR = 5


def client_address(request) -> str:
    """The client address, through NUM_PROXIES proxies, as the join throttle reads it."""
    return BaseThrottle().get_ident(request)


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out caller sees: JSON under /api/, the log-in page with the reason elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "rate_limited", "message": LOCKOUT_MESSAGE}, status=429)
    from django.contrib.auth.forms import AuthenticationForm

    form = AuthenticationForm(request)
    return render(
        request,
        "registration/login.html",
        {"form": form, "lockout": LOCKOUT_MESSAGE, "next": request.POST.get("next", "")},
        status=429,
    )


def count_reset_request(request) -> bool:
    """Counts a password reset request; False once this address asked too often this hour.

    cache.add then cache.incr: atomic on Redis and the database cache, so
    parallel requests in several processes cannot slip past the limit.
    """
    key = f"password-reset:{client_address(request)}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=3600)
        count = 1
    return count <= RESETS_PER_HOUR
