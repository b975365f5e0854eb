from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = "Opportunities, prioritisation and actions"

    def ready(self):
        # Registers the op family in the one op door, the snapshot part, the
        # per-recipient views and the review made when a workshop is created.
        # The `prioritisation` built-in template is one entry of
        # boards/builtin_templates.py, written by boards' own post_migrate hook.
        from decisions import exports, ops, signals, visibility  # noqa: F401
