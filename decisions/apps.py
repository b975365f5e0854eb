from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = "Opportunities, prioritisation and actions"

    def ready(self):
        # Registers the op family in the one op door, the snapshot part, the
        # per-recipient views and the review made when a workshop is created.
        from django.db.models.signals import post_migrate

        from decisions import exports, ops, signals, visibility  # noqa: F401

        post_migrate.connect(signals.ensure_templates_after_migrate, sender=self)
