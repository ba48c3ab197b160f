"""Who decides whether a custom HTML tag runs: only users allowed to manage custom HTML tags.

Custom HTML runs code on every page, so its own permission covers more than writing it:
changing one, switching it on or off, copying it, deleting it, and deleting or re-purposing the
group that holds it (a strictly necessary group's tags never ship; an advertising group's skip
sensitive pages). The tag and group policies say so for Wagtail's views (registered in
wagtail_hooks, enforced by admin_views); the tag and group forms (forms.py) lock the fields.
A privacy admin without the permission still manages every other tag and group.
"""

from django.db.models import QuerySet
from wagtail.permission_policies import ModelPermissionPolicy

from .choices import CUSTOM_HTML_PERMISSION, TagKind

CUSTOM_HTML_ONLY = (
    "This tag runs custom HTML: only users allowed to manage custom HTML tags can change it, "
    "switch it on or off, copy or delete it."
)
GROUP_WITH_CUSTOM_HTML = (
    "This group holds a custom HTML tag: only users allowed to manage custom HTML tags can "
    "delete the group or change its purpose."
)
# "add" on an existing tag is a copy of it.
TAG_ACTIONS = {"add", "change", "delete"}


def may_manage_custom_html(user) -> bool:
    return user is not None and user.has_perm(CUSTOM_HTML_PERMISSION)


def runs_custom_html(tag) -> bool:
    """Is this saved tag custom HTML (by its stored kind, whatever a form now says)?"""
    return bool(tag.pk) and tag.kind == TagKind.HTML


def holds_custom_html(group) -> bool:
    return bool(group.pk) and group.tags.filter(kind=TagKind.HTML).exists()


class CustomHtmlPolicy(ModelPermissionPolicy):
    """Django's model permissions, and the custom HTML rule on top for single objects.

    `refusal` says why the rule refuses, for the admin's 403 page; empty when it does not.
    """

    def refusal(self, user, action: str, instance) -> str:
        raise NotImplementedError

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        if self.refusal(user, action, instance):
            return False
        return super().user_has_permission_for_instance(user, action, instance)


class TagPermissionPolicy(CustomHtmlPolicy):
    def refusal(self, user, action: str, instance) -> str:
        if (
            action in TAG_ACTIONS
            and runs_custom_html(instance)
            and not may_manage_custom_html(user)
        ):
            return CUSTOM_HTML_ONLY
        return ""

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        tags = super().instances_user_has_any_permission_for(user, actions)
        if set(actions) <= TAG_ACTIONS and not may_manage_custom_html(user):
            tags = tags.exclude(kind=TagKind.HTML)
        return tags


class GroupPermissionPolicy(CustomHtmlPolicy):
    def refusal(self, user, action: str, instance) -> str:
        if action == "delete" and not may_manage_custom_html(user) and holds_custom_html(instance):
            return GROUP_WITH_CUSTOM_HTML
        return ""
