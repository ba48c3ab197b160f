"""Admin wiring: the "Cookie consent" menu, for privacy admins and superusers only.

Every view checks the model permissions that the "Privacy admins" group holds (granted by
migration). Other admin users get no menu entry, and a 403 from every URL: Wagtail's own
answer to a refused permission is a redirect to the dashboard.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.models import Permission
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.contrib.settings import views as settings_views
from wagtail.contrib.settings.registry import SettingMenuItem, registry

from .admin_views import (
    CookieIndexView,
    GroupDeleteView,
    GroupIndexView,
    TagCopyView,
    TagDeleteView,
    TagEditView,
    TagIndexView,
)
from .compat import register_permission_policy
from .models import ConsentCookie, ConsentGroup, ConsentSettings, ConsentTag
from .permissions import GroupPermissionPolicy, TagPermissionPolicy

ACTIONS = ["add", "change", "delete", "view"]

# Whether a custom HTML tag runs is for users allowed to write one (consent/permissions.py).
TAG_POLICY = TagPermissionPolicy(ConsentTag)
GROUP_POLICY = GroupPermissionPolicy(ConsentGroup)
register_permission_policy(ConsentTag, TAG_POLICY)
register_permission_policy(ConsentGroup, GROUP_POLICY)


def privacy_admins_only(view: Callable, may_enter: Callable) -> Callable:
    """The view, or a 403 page for an admin user who holds none of its permissions."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_enter(request.user):
            return TemplateResponse(request, "consent/admin/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return guarded


class PrivacyAdminViewSet(ModelViewSet):
    """A ModelViewSet whose URLs answer 403 to users without any of its model permissions."""

    def get_urlpatterns(self) -> list[URLPattern]:
        def may_enter(user) -> bool:
            return self.permission_policy.user_has_any_permission(user, ACTIONS)

        return [
            URLPattern(
                pattern.pattern,
                privacy_admins_only(pattern.callback, may_enter),
                pattern.default_args,
                pattern.name,
            )
            for pattern in super().get_urlpatterns()
        ]


class ConsentGroupViewSet(PrivacyAdminViewSet):
    model = ConsentGroup
    permission_policy = GROUP_POLICY
    icon = "folder-open-inverse"
    menu_label = "Cookie groups"
    name = "consent_groups"
    index_view_class = GroupIndexView
    delete_view_class = GroupDeleteView
    list_display = ["name", "varname", "purpose", "ordering"]
    list_filter = ["purpose"]
    search_fields = ["name", "varname", "description"]
    inspect_view_enabled = True


class ConsentCookieViewSet(PrivacyAdminViewSet):
    model = ConsentCookie
    icon = "clipboard-list"
    menu_label = "Cookies"
    name = "consent_cookies"
    index_view_class = CookieIndexView
    list_display = ["name", "cookiegroup", "provider", "duration"]
    list_filter = ["cookiegroup"]
    search_fields = ["name", "provider", "purpose"]
    list_export = ["name", "cookiegroup", "provider", "purpose", "duration", "domain", "path"]


class ConsentTagViewSet(PrivacyAdminViewSet):
    model = ConsentTag
    permission_policy = TAG_POLICY
    icon = "code"
    menu_label = "Tags"
    name = "consent_tags"
    index_view_class = TagIndexView
    edit_view_class = TagEditView
    copy_view_class = TagCopyView
    delete_view_class = TagDeleteView
    list_display = ["name", "kind", "group", "is_active"]
    list_filter = ["kind", "group", "is_active"]
    search_fields = ["name", "tag_id", "url"]


class CookieConsentGroup(ViewSetGroup):
    menu_label = "Cookie consent"
    menu_icon = "lock"
    menu_order = 160
    items = (ConsentGroupViewSet, ConsentCookieViewSet, ConsentTagViewSet)

    def get_submenu_items(self):
        # The banner and policy settings belong with the rest of the consent set-up.
        return [
            *super().get_submenu_items(),
            SettingMenuItem(ConsentSettings, icon="cog", order=400),
        ]


registry.register(ConsentSettings, icon="lock")


@hooks.register("register_admin_viewset")
def register_viewsets():
    return CookieConsentGroup()


@hooks.register("register_admin_urls")
def guard_consent_settings() -> list[URLPattern]:
    """Wagtail's own settings views for the consent settings, behind the same 403.

    Registered before wagtail.contrib.settings' URLs (app order), so these paths match first.
    """
    policy = ConsentSettings.get_permission_policy()

    def may_enter(user) -> bool:
        return policy.user_has_permission(user, "change")

    base = "settings/consent/consentsettings/"
    kwargs = {"app_name": "consent", "model_name": "consentsettings"}
    return [
        path(
            base,
            privacy_admins_only(settings_views.redirect_to_relevant_instance, may_enter),
            kwargs,
        ),
        path(
            f"{base}<int:pk>/",
            privacy_admins_only(settings_views.EditView.as_view(), may_enter),
            kwargs,
        ),
        path(
            f"{base}<int:pk>/preview/",
            privacy_admins_only(settings_views.PreviewOnEdit.as_view(), may_enter),
            kwargs,
        ),
    ]


@hooks.register("construct_settings_menu")
def hide_consent_settings_from_settings_menu(request, menu_items) -> None:
    # Registering the setting also lists it under Settings; it lives in Cookie consent.
    menu_items[:] = [
        item for item in menu_items if getattr(item, "model", None) is not ConsentSettings
    ]


@hooks.register("register_permissions")
def custom_html_permission():
    return Permission.objects.filter(
        content_type__app_label="consent", codename="manage_custom_html_tags"
    )


# --- Consent records: the read-only report (consent/reports.py) --------------------------

from .models.records import ConsentRecord  # noqa: E402
from .reports import (  # noqa: E402
    ASKED_AGAIN_COLUMN,
    BASE_EXPORT,
    GPC_COLUMN,
    GROUPS_COLUMN,
    ConsentRecordFilterSet,
    ConsentRecordIndexView,
    ConsentRecordInspectView,
    RecordPermissionPolicy,
    read_only,
)

RECORD_POLICY = RecordPermissionPolicy(ConsentRecord)
register_permission_policy(ConsentRecord, RECORD_POLICY)


class ConsentRecordViewSet(PrivacyAdminViewSet):
    """Proof of consent, filtered and exported; no add, edit, copy or delete URL exists."""

    model = ConsentRecord
    permission_policy = RECORD_POLICY
    icon = "list-ul"
    menu_label = "Consent records"
    name = "consent_records"
    index_view_class = ConsentRecordIndexView
    inspect_view_class = ConsentRecordInspectView
    index_results_template_name = "consent/admin/records_index_results.html"
    filterset_class = ConsentRecordFilterSet
    ordering = ["-decided_at", "-pk"]
    list_display = [
        "consent_id",
        "decided_at",
        "method",
        ASKED_AGAIN_COLUMN,
        GPC_COLUMN,
        GROUPS_COLUMN,
        "policy_version",
    ]
    list_export = [*BASE_EXPORT, "path", "browser"]
    export_filename = "consent-records"
    inspect_view_enabled = True
    copy_view_enabled = False
    # Never used (no add or edit URL): ModelViewSet insists on a form definition.
    form_fields = ["path"]

    def get_urlpatterns(self) -> list[URLPattern]:
        return read_only(super().get_urlpatterns())


# The records belong with the rest of the consent set-up, before "Banner and policy".
CookieConsentGroup.items = (*CookieConsentGroup.items, ConsentRecordViewSet)
