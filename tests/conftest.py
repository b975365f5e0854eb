"""Fixtures shared by the whole test suite."""

# Real server processes (live_app, live_app_pair, start_app) and the database
# they share with the test: tests/support/fixtures.py.
pytest_plugins = ["tests.support.fixtures"]
