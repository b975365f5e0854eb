"""Top-level URLs: pages, the REST API under /api/v1/, the schema, health."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from accounts import views as account_views
from workshop.health import healthz

urlpatterns = [
    path("", account_views.dashboard, name="dashboard"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include("boards.api_urls")),
    path("api/v1/", include("decisions.api_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", healthz, name="healthz"),
    path("", include("boards.urls")),
    path("", include("decisions.urls")),
]
