"""Admin wiring for medical content: a "Medical content" menu for editors and staff.

Pages stay in the page tree as usual; these flat listings add search and filters across it
(all procedures of one kind or specialty, all experts, ...) and a place to moderate patient
ratings.
"""

from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ExpertProfilePage, PatientRating, ProcedurePage, SpecialtyPage, StaffMember


class ProcedureListingViewSet(PageListingViewSet):
    model = ProcedurePage
    icon = "list-ul"
    menu_label = "Procedures"
    name = "procedures"
    list_display = ["title", "kind", "specialty", "latest_revision_created_at"]
    list_filter = ["kind", "specialty", "live"]


class SpecialtyListingViewSet(PageListingViewSet):
    model = SpecialtyPage
    icon = "folder-open-1"
    menu_label = "Specialties"
    name = "specialties"
    list_display = ["title", "latest_revision_created_at"]
    list_filter = ["live"]


class ExpertListingViewSet(PageListingViewSet):
    model = ExpertProfilePage
    icon = "user"
    menu_label = "Experts"
    name = "experts"
    list_display = ["title", "job_title", "latest_revision_created_at"]
    list_filter = ["live"]


class PatientRatingViewSet(SnippetViewSet):
    """Staff enter and moderate ratings here; only approved ones count in the aggregate."""

    model = PatientRating
    icon = "pick"
    menu_label = "Patient ratings"
    list_display = ["expert", "score", "status", "source", "rated_on"]
    list_filter = ["status", "score", "source", "expert"]
    search_fields = ["comment", "source"]
    ordering = ["-rated_on", "-pk"]
    list_export = ["expert", "score", "status", "source", "rated_on", "comment"]


class StaffMemberViewSet(SnippetViewSet):
    model = StaffMember
    icon = "user"
    menu_label = "Staff members"
    list_display = ["name", "job_title"]
    search_fields = ["name", "job_title"]


class MedicalContentGroup(ViewSetGroup):
    menu_label = "Medical content"
    menu_icon = "doc-full-inverse"
    menu_order = 150
    items = (
        ProcedureListingViewSet,
        SpecialtyListingViewSet,
        ExpertListingViewSet,
        PatientRatingViewSet,
        StaffMemberViewSet,
    )


# register_snippet registers the whole group (page listings included) and marks the snippet
# models as snippets, so their choosers work in page forms.
register_snippet(MedicalContentGroup)
