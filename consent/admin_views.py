"""The tag and group viewsets' views: Wagtail's generic ones, asking about each object too.

Wagtail's generic views check a user's permission for the model only; these also ask the
model's permission policy (consent/permissions.py) about the object itself, so a privacy admin
without the custom HTML permission is refused, with the reason, where a custom HTML tag would
be copied or deleted (or its group deleted), and is not offered the buttons that lead there.
Used by the viewsets in wagtail_hooks.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.admin.views import generic

from safe_text.filters import StrictFiltersMixin
from safe_text.spreadsheets import SafeSpreadsheetExportMixin

FORBIDDEN_TEMPLATE = "consent/admin/forbidden.html"


def refused(request: HttpRequest, reason: str, back_url: str) -> TemplateResponse:
    """The consent admin's 403 page, saying why."""
    context = {"reason": reason, "back_url": back_url}
    return TemplateResponse(request, FORBIDDEN_TEMPLATE, context, status=403)


class ObjectPermissionMixin:
    """Refuses, before anything else runs, a user the policy refuses `object_action` on the
    object; other refusals (no model permission) stay Wagtail's."""

    object_action = ""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        reason = self.permission_policy.refusal(
            request.user, self.object_action, self.get_object()
        )
        if reason:
            return refused(request, reason, reverse(self.index_url_name))
        return super().dispatch(request, *args, **kwargs)


class ObjectButtonsMixin:
    """A listing that offers Copy and Delete only where the policy allows them on the row."""

    def _allowed(self, action: str, instance) -> bool:
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, action, instance
        )

    def get_copy_url(self, instance):
        return super().get_copy_url(instance) if self._allowed("add", instance) else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if self._allowed("delete", instance) else None


class TagIndexView(ObjectButtonsMixin, generic.IndexView):
    pass


class CookieIndexView(StrictFiltersMixin, SafeSpreadsheetExportMixin, generic.IndexView):
    """The cookies list, whose CSV and XLSX downloads privacy admins hand to auditors."""


class GroupIndexView(ObjectButtonsMixin, generic.IndexView):
    pass


class TagEditView(generic.EditView):
    """Its form (ConsentTagForm) keeps a custom HTML tag read-only for users without the
    permission; the header offers them no Copy (Delete follows the policy already)."""

    def get_copy_url(self):
        allowed = self.permission_policy.user_has_permission_for_instance(
            self.request.user, "add", self.object
        )
        return super().get_copy_url() if allowed else None


class TagCopyView(ObjectPermissionMixin, generic.CopyView):
    """GET only: the copy form posts to the add view; a POST here would save the form onto the
    original tag."""

    object_action = "add"

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return HttpResponseNotAllowed(["GET"])


class TagDeleteView(ObjectPermissionMixin, generic.DeleteView):
    object_action = "delete"


class GroupDeleteView(ObjectPermissionMixin, generic.DeleteView):
    object_action = "delete"
