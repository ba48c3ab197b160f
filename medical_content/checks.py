"""System checks: the set-up the clinical review and the public pages need and cannot default.

A host site adding the app gets each of these as a clear `manage.py check` error instead of a
workflow that quietly never publishes, or a page that fails on its first reader.
"""

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, register

FINISH_ACTION = "medical_content.review.workflow.publish_approved"
REQUEST_CONTEXT_PROCESSOR = "django.template.context_processors.request"
DJANGO_TEMPLATES = "django.template.backends.django.DjangoTemplates"
# Apps whose models or registries these pages use: images (expert photos, article images),
# snippets (staff members, patient ratings), search (site search).
REQUIRED_APPS = ["wagtail.images", "wagtail.snippets", "wagtail.search"]


@register()
def check_workflow_settings(app_configs=None, **kwargs) -> list:
    problems = []
    if getattr(settings, "WAGTAIL_FINISH_WORKFLOW_ACTION", None) != FINISH_ACTION:
        problems.append(
            Error(
                "Wagtail's default finish action publishes as the last approver, and medical "
                "reviewers hold no publish permission: an article they approve would never "
                "be published.",
                hint=f"Set WAGTAIL_FINISH_WORKFLOW_ACTION = {FINISH_ACTION!r}.",
                id="medical_content.E001",
            )
        )
    if not getattr(settings, "WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT", False):
        problems.append(
            Error(
                "A clinical approval covers one version of an article. Without re-approval on "
                "edit, an article changed after its review would move on in the workflow "
                "unreviewed, and then be refused at publishing.",
                hint="Set WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True.",
                id="medical_content.E002",
            )
        )
    return problems


@register()
def check_site_set_up(app_configs=None, **kwargs) -> list:
    problems = []
    for engine in getattr(settings, "TEMPLATES", []):
        processors = engine.get("OPTIONS", {}).get("context_processors", [])
        if engine.get("BACKEND") == DJANGO_TEMPLATES and REQUEST_CONTEXT_PROCESSOR not in (
            processors
        ):
            problems.append(
                Error(
                    "Views that are not pages (search, the preference centre, page not "
                    "found) build their navigation, breadcrumbs and structured data from "
                    "`request`; without the request context processor they render without "
                    "them.",
                    hint=f"Add {REQUEST_CONTEXT_PROCESSOR!r} to the template engine's "
                    "context_processors.",
                    id="medical_content.E003",
                )
            )
    missing = [app for app in REQUIRED_APPS if not apps.is_installed(app)]
    if missing:
        problems.append(
            Error(
                f"medical_content needs these apps installed: {', '.join(missing)}.",
                hint="Add them to INSTALLED_APPS (a new `wagtail start` site has them all).",
                id="medical_content.E004",
            )
        )
    return problems
