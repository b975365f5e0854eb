"""The life of a workshop after the room: closing, archiving, retention, deletion, people's own data."""

from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "lifecycle"
    verbose_name = "Workshop lifecycle and data rights"

    def ready(self):
        # Registers workshop.close, workshop.reopen and participant.erase with the op door.
        from lifecycle import ops, signals  # noqa: F401

        signals.connect()
