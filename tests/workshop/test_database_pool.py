"""PostgreSQL connections are bounded per process by the pool (DB_POOL_MAX),
however many requests arrive at once."""

import concurrent.futures
import urllib.error
import urllib.request

import psycopg
import pytest

from tests.support.fixtures import needs_postgresql

pytestmark = [pytest.mark.multiprocess, needs_postgresql]

POOL_MAX = 4


def get(url) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def connections_to(database_url) -> int:
    dbname = database_url.rsplit("/", 1)[1]
    with psycopg.connect(database_url, dbname="postgres", autocommit=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'",
            [dbname],
        ).fetchone()[0]


def test_100_parallel_requests_hold_no_more_connections_than_the_pool_allows(start_app, app_database):
    server = start_app({"DB_POOL": "1", "DB_POOL_MIN": "1", "DB_POOL_MAX": str(POOL_MAX)})
    peak = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=100) as executor:
        # A wrong join code: an unauthenticated page that reads the database.
        futures = [executor.submit(get, f"{server.url}/j/WRONG{i:04d}") for i in range(100)]
        while not all(f.done() for f in futures):
            peak = max(peak, connections_to(app_database))
        statuses = [f.result() for f in futures]
    peak = max(peak, connections_to(app_database))
    assert 500 not in statuses, statuses
    assert set(statuses) <= {200, 404, 429}, set(statuses)
    assert 0 < peak <= POOL_MAX, f"{peak} connections for one process with DB_POOL_MAX={POOL_MAX}"
