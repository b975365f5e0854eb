"""Background work: the PDF builds the worker runs and the scheduled jobs it is handed."""

from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "background"
    default_auto_field = "django.db.models.BigAutoField"
