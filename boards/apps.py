from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


def _write_builtin_templates(sender, using, apps=global_apps, **kwargs):
    """After every migrate (and flush): the built-in templates exist and match this release."""
    try:
        template_model = apps.get_model("boards", "Template")
    except LookupError:  # migrated back to before templates existed
        return
    from boards.builtin_templates import ensure_builtin_templates

    ensure_builtin_templates(template_model, using=using)


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = "Workshops and boards"

    def ready(self):
        # Registers every op, and the listener that makes workshop rights
        # follow team memberships (boards/ops/team.py).
        import boards.ops  # noqa: F401

        post_migrate.connect(_write_builtin_templates, sender=self, dispatch_uid="boards.builtin_templates")
