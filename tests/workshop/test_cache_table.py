"""The database cache's table is made by `migrate` alone (workshop/apps.py).

Without it every limit counted in the cache (wrong join codes, reset mails)
answers 500 on a database that only ran `migrate`, as an operator's does.
"""

import sqlite3

from django.conf import settings

from tests.support.servers import run_manage, sqlite_url


def test_migrate_alone_makes_the_cache_table(tmp_path):
    path = tmp_path / "fresh.sqlite3"
    run_manage(sqlite_url(path), "migrate", "--no-input")
    with sqlite3.connect(path) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert settings.CACHE_TABLE in tables
