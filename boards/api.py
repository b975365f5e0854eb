"""REST API under /api/v1/ (placeholder until the op core lands)."""

from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    return drf_exception_handler(exc, context)
