"""The one clock lifecycle rules read: tests move it to see a workshop come due."""

from django.utils import timezone


def now():
    return timezone.now()
