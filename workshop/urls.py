"""Top-level URLs: pages, the REST API under /api/v1/, the schema, health."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from accounts import views as account_views
from workshop import converters  # noqa: F401  (registers <id:...> before the apps' URLconfs load)
from workshop.health import healthz

# Redoc injects its styles at run time and searches in a web worker made from
# a blob: the docs page alone allows both; scripts still come from us only.
api_docs = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": ["blob:"]})(
    SpectacularRedocView.as_view(url_name="api-schema", template_name="api/docs.html")
)

urlpatterns = [
    path("", account_views.dashboard, name="dashboard"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    # Before boards': the lifecycle adds DELETE to the workshop's URL.
    path("api/v1/", include("lifecycle.api_urls")),
    path("api/v1/", include("boards.api_urls")),
    path("api/v1/", include("decisions.api_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", api_docs, name="api-docs"),
    path("healthz", healthz, name="healthz"),
    path("", include("lifecycle.urls")),
    path("", include("boards.urls")),
    path("", include("decisions.urls")),
]
