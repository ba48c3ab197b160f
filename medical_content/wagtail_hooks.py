"""Admin wiring for medical content."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import StaffMember


class StaffMemberViewSet(SnippetViewSet):
    model = StaffMember
    icon = "user"
    menu_label = "Staff members"
    list_display = ["name", "job_title"]
    search_fields = ["name", "job_title"]
    add_to_admin_menu = False


register_snippet(StaffMemberViewSet)
