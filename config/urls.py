"""URLs of the demo site: the health check, the Wagtail admin, documents, and Wagtail's page
serving last."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from consent import urls as consent_urls
from medical_content import urls as medical_content_urls
from themes import views as theme_views

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", theme_views.favicon, name="favicon"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("consent/", include(consent_urls)),
    path("", include(medical_content_urls)),
]

if getattr(settings, "SERVE_TAG_STUB", False):
    from .tag_stub import stub_script

    urlpatterns += [path("_stub/tags/<path:name>", stub_script, name="tag_stub")]

if getattr(settings, "BENCH_PREBUILT_FILE", None):
    from .bench import prebuilt

    urlpatterns += [path("_bench/prebuilt/", prebuilt, name="bench_prebuilt")]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

# A 404's address is whatever was typed: the theme's page is marked sensitive.
handler404 = "themes.views.page_not_found"
