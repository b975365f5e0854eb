"""A shared cast for every test: one team and the people in and around it.

`team` holds `owner` (owner), `facilitator`, `member` and `viewer`; `outsider`
belongs to no team and must be refused everywhere. Every user's password is
the `password` fixture.
"""

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Membership, Role, Team

# Real server processes for WebSocket, multi-process and browser tests.
pytest_plugins = [
    "tests.support.fixtures",
    "tests.support.browser",
    "tests.support.workshop_cast",
    "tests.support.stack",
]

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session", autouse=True)
def _close_orm_thread_connections(django_db_setup):
    """Closes the connections of asgiref's one ORM thread before the test database is dropped.

    Consumers reach the database from that thread; its connections outlive
    each test (CONN_MAX_AGE) and would keep PostgreSQL from dropping the test
    database at the end of the run.
    """
    yield
    from asgiref.sync import SyncToAsync
    from django.db import connections

    SyncToAsync.single_thread_executor.submit(connections.close_all).result()


@pytest.fixture(autouse=True)
def _fresh_cache(request, django_db_blocker):
    # Throttle counters live in the cache; one test's joins must not limit the next.
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    cache = caches["default"]
    if not isinstance(cache, DatabaseCache):
        cache.clear()
        return
    # Without Redis the cache is a table of the test database: only tests that
    # use the database can reach it (and only then does that database exist).
    uses_database = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
    } & set(request.fixturenames)
    if uses_database:
        request.getfixturevalue("django_db_setup")
        with django_db_blocker.unblock():
            cache.clear()


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings, tmp_path):
    # Cached PDFs (boards/exports/cache.py) of one test must not be served in the next.
    settings.EXPORTS_DIR = tmp_path / "exports"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher costs ~0.3 s per user; tests create many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def make_user(db):
    def make(username, **extra):
        return get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)

    return make


@pytest.fixture
def owner(make_user):
    return make_user("olivia", email="olivia@example.com", first_name="Olivia")


@pytest.fixture
def facilitator(make_user):
    return make_user("fred", first_name="Fred")


@pytest.fixture
def member(make_user):
    return make_user("maya")


@pytest.fixture
def viewer(make_user):
    return make_user("luis")


@pytest.fixture
def outsider(make_user):
    return make_user("eve")


@pytest.fixture
def team(owner, facilitator, member, viewer):
    team = Team.objects.create(name="Bike repair")
    for user, role in [
        (owner, Role.OWNER),
        (facilitator, Role.FACILITATOR),
        (member, Role.MEMBER),
        (viewer, Role.VIEWER),
    ]:
        Membership.objects.create(team=team, user=user, role=role)
    return team


def pytest_configure(config):
    # WhiteNoise warns on every request when STATIC_ROOT (collectstatic's output) is absent, as in tests.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(autouse=True)
def _database_reachable_again():
    """A test that made the database fail leaves the next one no back-off (boards/consumers.py)."""
    yield
    from boards import consumers

    consumers._database_back_at = 0.0
