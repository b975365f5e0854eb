"""The project itself as an app: start-up checks of its services, and the cache table."""

from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


def services_check(app_configs=None, **kwargs):
    """Stops `check`, `migrate` and server start-up when DATABASE_URL or REDIS_URL does not answer."""
    from workshop.services import database_problem, redis_problem

    errors = []
    for problem, hint_id in (
        (database_problem(direct=True), "workshop.E001"),
        (redis_problem(), "workshop.E002"),
    ):
        if problem:
            errors.append(checks.Error(problem, hint="Check the value and that the server runs.", id=hint_id))
    return errors


def stop_unless_services_answer():
    """For the ASGI entry point: raise ImproperlyConfigured naming what does not answer."""
    from django.core.exceptions import ImproperlyConfigured

    problems = [error.msg for error in services_check()]
    if problems:
        raise ImproperlyConfigured("; ".join(problems))


def _make_cache_table(sender, using, **kwargs):
    """The database cache's table, made by every `migrate`, whichever cache is in use today.

    createcachetable skips a table that exists; the table is made even when Redis
    is the cache now, so that running without REDIS_URL later needs no extra step.
    """
    from django.conf import settings
    from django.core.management import call_command

    call_command("createcachetable", settings.CACHE_TABLE, database=using, verbosity=0)


class ProjectConfig(AppConfig):
    name = "workshop"
    verbose_name = "Resonance"

    def ready(self):
        # Not tagged "database": Django runs those only when asked; this must run always.
        checks.register(services_check, "services")
        # Without a sender: Django sends post_migrate only for apps that have
        # models, and this one has none. createcachetable skips a table that
        # exists, so running once per app costs one look-up each.
        post_migrate.connect(_make_cache_table, dispatch_uid="workshop.cache_table")
