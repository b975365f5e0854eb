"""The join throttle: wrong join codes per client address, one count for the page and the API.

Join codes must not be found by guessing, while a whole room behind one office
address must be able to join at once. So only *wrong* codes are counted, in
the `default` cache (shared by every server process when it is Redis or the
database cache), with an atomic `cache.incr`. Once an address has tried
WRONG_CODES_PER_MINUTE wrong codes, every join from it waits for the rest of
the minute, a right code included: answering right codes then would tell a
guesser which of its guesses was right, whatever the limit.

The client address is read through NUM_PROXIES proxies (settings.REST_FRAMEWORK),
as DRF's throttles read it, so a made-up X-Forwarded-For dodges nothing.
"""

import contextlib

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from rest_framework.throttling import BaseThrottle

from boards.errors import RateLimited

WRONG_CODES_PER_MINUTE = 30
WINDOW_SECONDS = 60
MESSAGE = "Too many wrong codes from here. Wait a minute, then try again."


def _key(request) -> str:
    return f"join-wrong-codes:{BaseThrottle().get_ident(request)}"


def check(request) -> None:
    """Raises RateLimited when this address has used up its wrong codes for the minute."""
    if cache.get(_key(request), 0) >= WRONG_CODES_PER_MINUTE:
        raise RateLimited(MESSAGE)


def count_wrong_code(request) -> None:
    """Counts one wrong code; raises RateLimited when it was one too many.

    The count is atomic (add, then incr), so parallel guesses in several
    processes cannot get more than WRONG_CODES_PER_MINUTE "no such code"
    answers a minute between them.
    """
    key = _key(request)
    with _one_counter_at_a_time():
        cache.add(key, 0, timeout=WINDOW_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # the window ended between add and incr
            cache.add(key, 1, timeout=WINDOW_SECONDS)
            count = 1
    if count > WRONG_CODES_PER_MINUTE:
        raise RateLimited(MESSAGE)


# Any fixed number: the advisory lock that serialises counting on PostgreSQL.
_COUNTER_LOCK = 7_301_964


@contextlib.contextmanager
def _one_counter_at_a_time():
    """Makes add + incr one step where the cache itself does not.

    Redis's INCR is atomic, but the database cache's incr is a read and a write:
    parallel guesses could each read the same count. In one transaction, SQLite
    (IMMEDIATE transactions, settings.py) lets one writer in at a time, and on
    PostgreSQL an advisory lock does the same for the counting alone.
    """
    backend = caches["default"]
    if not isinstance(backend, DatabaseCache):
        yield
        return
    alias = router.db_for_write(backend.cache_model_class)
    with transaction.atomic(using=alias):
        connection = connections[alias]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_COUNTER_LOCK])
        yield
