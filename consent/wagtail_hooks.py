"""Admin wiring: the "Cookie consent" menu, for privacy admins and superusers only.

Every view checks the model permissions that the "Privacy admins" group holds (granted by
migration); users without them get no menu entry and a 403 / redirect from the URLs.
"""

from django.contrib.auth.models import Permission
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.contrib.settings.registry import SettingMenuItem, registry

from .models import ConsentCookie, ConsentGroup, ConsentSettings, ConsentTag


class ConsentGroupViewSet(ModelViewSet):
    model = ConsentGroup
    icon = "folder-open-inverse"
    menu_label = "Cookie groups"
    name = "consent_groups"
    list_display = ["name", "varname", "purpose", "ordering"]
    list_filter = ["purpose"]
    search_fields = ["name", "varname", "description"]
    inspect_view_enabled = True


class ConsentCookieViewSet(ModelViewSet):
    model = ConsentCookie
    icon = "clipboard-list"
    menu_label = "Cookies"
    name = "consent_cookies"
    list_display = ["name", "cookiegroup", "provider", "duration"]
    list_filter = ["cookiegroup"]
    search_fields = ["name", "provider", "purpose"]
    list_export = ["name", "cookiegroup", "provider", "purpose", "duration", "domain", "path"]


class ConsentTagViewSet(ModelViewSet):
    model = ConsentTag
    icon = "code"
    menu_label = "Tags"
    name = "consent_tags"
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


@hooks.register("register_permissions")
def custom_html_permission():
    return Permission.objects.filter(
        content_type__app_label="consent", codename="manage_custom_html_tags"
    )
