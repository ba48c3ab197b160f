"""Every Wagtail hook of medical_content; the views and rules they call live in the modules
they import.

- A "Medical content" menu for editors and staff: pages stay in the page tree as usual; these
  flat listings add search and filters across it (all procedures of one kind or specialty,
  all experts, ...) and a place to moderate patient ratings.
- The clinical review in the editor: publishing refused without an approval, the review's
  lock, the reviewer's action menu.
- One page per create form (`page_creation.py`), the readability check
  (`content_checks.py`), and the review schedule report (`review/schedule.py`).
"""

from django.contrib import messages
from django.db import transaction
from django.forms import Media
from django.forms.widgets import Script
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import classproperty
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from safe_text.filters import StrictFiltersMixin
from safe_text.spreadsheets import SafeSpreadsheetExportMixin

from . import page_creation
from .choices import RatingStatus
from .compat import snippet_permission_policy
from .content_checks import add_readability_check, readability_editor_js
from .models import (
    ArticlePage,
    ClinicalApproval,
    ExpertProfilePage,
    PatientRating,
    ProcedurePage,
    RatingSummary,
    SpecialtyPage,
    StaffMember,
)
from .models.reviews import ClinicalReviewTask, ReviewTask
from .review.schedule import add_reviews_due_panel, review_schedule_menu_item, review_schedule_urls


def works_on_pages(user) -> bool:
    """Has some page permission of their own: not privacy admins, not medical reviewers (whom
    the workflow lets into one article at a time). What Wagtail's page listings require."""
    return PagePermissionPolicy().user_has_any_permission(user, IndexView.any_permission_required)


class PageEditorsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return works_on_pages(request.user)


class EditorialListingViewSet(PageListingViewSet):
    menu_item_class = PageEditorsMenuItem


class ProcedureListingViewSet(EditorialListingViewSet):
    model = ProcedurePage
    icon = "list-ul"
    menu_label = "Procedures"
    name = "procedures"
    list_display = [
        "title",
        "kind",
        "specialty",
        # Effective and published: marked, or in a specialty that is.
        BooleanColumn("is_sensitive", label="Sensitive"),
        "latest_revision_created_at",
    ]
    list_filter = ["kind", "specialty", "is_sensitive", "live"]


class SpecialtyListingViewSet(EditorialListingViewSet):
    model = SpecialtyPage
    icon = "folder-open-1"
    menu_label = "Specialties"
    name = "specialties"
    list_display = ["title", "latest_revision_created_at"]
    list_filter = ["live"]


class ExpertListingViewSet(EditorialListingViewSet):
    model = ExpertProfilePage
    icon = "user"
    menu_label = "Experts"
    name = "experts"
    list_display = ["title", "job_title", "latest_revision_created_at"]
    list_filter = ["live"]


class PatientRatingIndexView(StrictFiltersMixin, SafeSpreadsheetExportMixin, SnippetIndexView):
    """The ratings list: its downloads carry what patients wrote (the comment) safely."""


class PatientRatingViewSet(SnippetViewSet):
    """Staff enter and moderate ratings here; only approved ones count in the aggregate."""

    model = PatientRating
    index_view_class = PatientRatingIndexView
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


class SetRatingStatusBulkAction(SnippetBulkAction):
    """Approve or reject many patient ratings at once, then refresh each expert's aggregate."""

    status: str = ""
    template_name = "medical_content/admin/confirm_rating_status.html"

    @classproperty
    def models(cls):
        return [PatientRating]

    def check_perm(self, obj) -> bool:
        return snippet_permission_policy(self.model).user_has_permission_for_instance(
            self.request.user, "change", obj
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(action_title=self.display_name, **kwargs)

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        ids = [rating.pk for rating in objects]
        with transaction.atomic():
            changed = PatientRating.objects.filter(pk__in=ids).update(status=cls.status)
            for expert_id in sorted({rating.expert_id for rating in objects}):
                RatingSummary.refresh_for(expert_id)
        return changed, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{num_parent_objects} rating(s) marked {RatingStatus(self.status).label.lower()}."


@hooks.register("register_bulk_action")
class ApproveRatingsBulkAction(SetRatingStatusBulkAction):
    display_name = "Approve"
    action_type = "approve_ratings"
    aria_label = "Approve selected ratings"
    status = RatingStatus.APPROVED
    action_priority = 10


@hooks.register("register_bulk_action")
class RejectRatingsBulkAction(SetRatingStatusBulkAction):
    display_name = "Reject"
    action_type = "reject_ratings"
    aria_label = "Reject selected ratings"
    status = RatingStatus.REJECTED
    action_priority = 20


@hooks.register("before_publish_page")
def refuse_unapproved_article(request, page):
    """The editor's Publish button: the revision just saved must have passed clinical review.

    Wagtail has saved it as a draft by now, so the editor's changes are kept.
    """
    if not isinstance(page, ArticlePage):
        return None
    refusal = ClinicalApproval.objects.publish_refusal(page.latest_revision, request.user)
    if refusal is None:
        return None
    messages.error(request, f"Your changes were saved as a draft and not published. {refusal}")
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_edit_page")
def explain_refused_approval(request, page):
    """A reviewer who may not approve this step is told why, not just shown no Approve."""
    if request.method != "GET" or not isinstance(page, ArticlePage):
        return None
    task = page.current_workflow_task
    if task is None or not isinstance(task, ReviewTask):
        return None
    in_task_groups = task.groups.filter(pk__in=request.user.groups.values("pk")).exists()
    if request.user.is_superuser or in_task_groups:
        refusal = task.approval_refusal(page, request.user)
        if refusal:
            messages.warning(request, refusal)
    return None


@hooks.register("after_edit_page")
def send_reviewers_home(request, page):
    """After approving from the editor, Wagtail returns people to the page explorer, which a
    medical reviewer (no page permissions of their own) may not open."""
    if isinstance(page, ArticlePage) and not works_on_pages(request.user):
        return redirect("wagtailadmin_home")
    return None


# First of the before_create_page hooks: for a create form's post it runs Wagtail's create
# view itself, inside its transaction, and so every later hook once, there.
@hooks.register("before_create_page", order=-100)
def create_one_page_per_form(request, parent_page, page_class):
    """However Wagtail's autosave and the editor's click race, a create form makes one page."""
    return page_creation.answer(request, parent_page, page_class)


@hooks.register("insert_editor_js")
def create_form_token() -> str:
    """The token each create form posts, which tells `page_creation` its posts apart."""
    return page_creation.token_input()


class ReviewActionMenuItem(ActionMenuItem):
    """One of the clinical review's actions (Approve, Request changes, ...) in the menu of an
    editor that the review has locked (`medical_content.review.lock`).

    Wagtail hides a locked page's workflow buttons, whose click posts the edit form (refused
    on a locked page). This one posts to Wagtail's workflow action view, through its comment
    dialog when the action takes one, as the dashboard's "Awaiting your review" buttons do;
    Wagtail's own script binds it, in its dashboard mode.
    """

    template_name = "medical_content/admin/review_action_menu_item.html"

    def __init__(self, name: str, label: str, launch_modal: bool, order: int):
        self.name = name
        self.label = label
        self.launch_modal = launch_modal
        self.icon_name = "success" if name == "approve" else "edit"
        super().__init__(order=order)

    def is_shown(self, context) -> bool:
        return context["view"] == "edit" and bool(context["locked_for_user"])

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page = context["page"]
        context["launch_modal"] = self.launch_modal
        context["action_url"] = reverse(
            "wagtailadmin_pages:workflow_action",
            args=(page.pk, self.name, page.current_workflow_task_state.pk),
        )
        return context

    @property
    def media(self) -> Media:
        script = versioned_static("wagtailadmin/js/workflow-action.js")
        return Media(js=[Script(script, **{"data-activate": "dashboard"})])


@hooks.register("construct_page_action_menu")
def review_from_the_locked_editor(menu_items: list, request, context: dict) -> None:
    """A medical reviewer sees the article read-only and keeps Approve / Request changes,
    before Wagtail's "Page locked" (the menu's first item is its main button)."""
    page = context.get("page")
    if page is None or context.get("view") != "edit" or not context.get("locked_for_user"):
        return
    task = page.current_workflow_task
    if not isinstance(task, ClinicalReviewTask):
        return
    # Wagtail lists "Request changes" first; "Approve" is the button a reviewer came for.
    actions = sorted(
        task.get_actions(page, request.user), key=lambda action: action[0] != "approve"
    )
    menu_items[:0] = [
        ReviewActionMenuItem(name, label, modal, order=number)
        for number, (name, label, modal) in enumerate(actions)
    ]


# The readability check in the editor's content checks (`content_checks.py`).
hooks.register("construct_wagtail_userbar", add_readability_check)
hooks.register("insert_editor_js", readability_editor_js)

# The review schedule: a report, its menu item and a dashboard panel (`review/schedule.py`).
hooks.register("register_admin_urls", review_schedule_urls)
hooks.register("register_reports_menu_item", review_schedule_menu_item)
hooks.register("construct_homepage_panels", add_reviews_due_panel)
