"""When each live article is next due a clinical review: a dashboard panel and a report.

Used by: editors, publishers and medical reviewers (and superusers), to see which articles
need a clinician to check them again. The dashboard panel lists the overdue ones and those due
soon; the "Review schedule" report (under Reports) lists every live article, with filters and
a CSV or Excel download.

An article's review dates come from the approval of the revision readers see (its live
revision, i.e. `ArticlePage.review_approval`). A live article without one was published
unreviewed by a superuser: it is "never clinically reviewed" and counts as overdue.
"""

import datetime
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import HeaderButton

from safe_text.spreadsheets import SafeSpreadsheetExportMixin

from .. import conf
from ..compat import page_permission_policy
from ..models import ArticlePage, ClinicalApproval, SpecialtyPage
from .roles import EDITORS, MEDICAL_REVIEWERS, PUBLISHERS

REPORT_URL_NAME = "medical_content_review_schedule"
REPORT_RESULTS_URL_NAME = "medical_content_review_schedule_results"
# The roles whose work the review dates drive. There is no model permission that all three
# hold (medical reviewers have only admin access), so the check is by group.
SCHEDULE_GROUPS = (EDITORS, PUBLISHERS, MEDICAL_REVIEWERS)
PANEL_ROWS = 10


class ReviewState(models.TextChoices):
    """Where a live article stands in its review schedule, as the report's Status column says.

    Worked out in the database (`review_schedule`); the panel counts "never" as overdue.
    """

    NEVER = "never", "Never reviewed"
    OVERDUE = "overdue", "Overdue"
    DUE_SOON = "due_soon", "Due soon"
    CURRENT = "current", "Current"


NEEDS_REVIEW = (ReviewState.NEVER, ReviewState.OVERDUE, ReviewState.DUE_SOON)


def can_see_review_schedule(user) -> bool:
    """Superusers, editors, publishers and medical reviewers; not privacy admins or others.

    Cached on the user object: the menu, the panel and the report ask in the same request.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_can_see_review_schedule"):
        user._can_see_review_schedule = user.groups.filter(name__in=SCHEDULE_GROUPS).exists()
    return user._can_see_review_schedule


def review_schedule(today: datetime.date) -> QuerySet[ArticlePage]:
    """Every live article, annotated from its live revision's approval, in one query.

    `reviewed_at`, `reviewed_by` and `review_due` are NULL for an article never clinically
    reviewed; `review_state` is a `ReviewState` value as of `today`.
    """
    approval = ClinicalApproval.objects.filter(revision_id=OuterRef("live_revision_id")).order_by(
        "-approved_at", "-pk"
    )
    due_soon_until = today + datetime.timedelta(days=conf.review_due_soon_days())
    return (
        ArticlePage.objects.live()
        .select_related("specialty")
        .annotate(
            reviewed_at=Subquery(approval.values("approved_at")[:1]),
            reviewed_by=Subquery(approval.values("reviewer_name")[:1]),
            review_due=Subquery(approval.values("next_review_due")[:1]),
        )
        .annotate(
            review_state=Case(
                When(review_due__isnull=True, then=Value(ReviewState.NEVER)),
                When(review_due__lt=today, then=Value(ReviewState.OVERDUE)),
                When(review_due__lte=due_soon_until, then=Value(ReviewState.DUE_SOON)),
                default=Value(ReviewState.CURRENT),
                output_field=CharField(),
            )
        )
    )


def by_due_date(schedule: QuerySet[ArticlePage], descending: bool = False) -> QuerySet:
    """Soonest due first, never-reviewed articles before all others (on every database)."""
    due = (
        F("review_due").desc(nulls_last=True)
        if descending
        else F("review_due").asc(nulls_first=True)
    )
    return schedule.order_by(due, "title", "pk")


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _display_date(value: datetime.date | None) -> str:
    return date_format(value, "j M Y") if value else ""


@dataclass(frozen=True)
class ScheduledReview:
    """One live article's review dates, ready for the panel, the report and the download."""

    page: ArticlePage
    state: ReviewState
    reviewed_on: datetime.date | None
    reviewed_by: str
    due: datetime.date | None
    url: str
    today: datetime.date

    @property
    def title(self) -> str:
        return self.page.title

    @property
    def specialty(self) -> str:
        return self.page.specialty.title if self.page.specialty else ""

    @property
    def status(self) -> str:
        return str(self.state.label)

    @property
    def is_urgent(self) -> bool:
        return self.state in (ReviewState.NEVER, ReviewState.OVERDUE)

    @property
    def due_display(self) -> str:
        return _display_date(self.due)

    @property
    def reviewed_on_display(self) -> str:
        return _display_date(self.reviewed_on)

    @property
    def timing(self) -> str:
        """How far off the review is, in words: "Overdue by 15 days", "Due in 20 days"."""
        if self.due is None:
            return "Never clinically reviewed"
        days = (self.due - self.today).days
        if days < 0:
            return f"Overdue by {_days(-days)}"
        if days == 0:
            return "Due today"
        return f"Due in {_days(days)}"


def scheduled_reviews(pages, request: HttpRequest, today: datetime.date) -> list[ScheduledReview]:
    """Rows for annotated pages. Titles link to the editor for those who may edit the article,
    else (medical reviewers, outside a review) to the live article."""
    page_policy = page_permission_policy()
    rows = []
    for page in pages:
        # Uses the user's page permissions, cached on the user after one query.
        if page_policy.user_has_permission_for_instance(request.user, "change", page):
            url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        else:
            url = page.get_url(request) or ""
        rows.append(
            ScheduledReview(
                page=page,
                state=ReviewState(page.review_state),
                reviewed_on=timezone.localdate(page.reviewed_at) if page.reviewed_at else None,
                reviewed_by=page.reviewed_by or "",
                due=page.review_due,
                url=url,
                today=today,
            )
        )
    return rows


# --- The dashboard panel ----------------------------------------------------------------


class ReviewsDuePanel(Component):
    """ "Clinical reviews due" on the admin dashboard: the most urgent reviews first."""

    name = "clinical_reviews_due"
    template_name = "medical_content/admin/review_due_panel.html"
    order = 200  # above Wagtail's workflow and recent-edits panels

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        today = timezone.localdate()
        needing = review_schedule(today).filter(review_state__in=NEEDS_REVIEW)
        counts = needing.aggregate(
            overdue=Count("pk", filter=~Q(review_state=ReviewState.DUE_SOON)),
            due_soon=Count("pk", filter=Q(review_state=ReviewState.DUE_SOON)),
            never=Count("pk", filter=Q(review_state=ReviewState.NEVER)),
        )
        rows = scheduled_reviews(by_due_date(needing)[:PANEL_ROWS], request, today)
        report_url = reverse(REPORT_URL_NAME)
        total = counts["overdue"] + counts["due_soon"]
        return {
            "rows": rows,
            "overdue_count": counts["overdue"],
            "due_soon_count": counts["due_soon"],
            "never_count": counts["never"],
            "total": total,
            "more": total - len(rows),
            "due_soon_days": conf.review_due_soon_days(),
            "report_url": report_url,
            "needing_review_url": report_url
            + "?"
            + "&".join(f"status={state}" for state in NEEDS_REVIEW),
        }


def add_reviews_due_panel(request, panels) -> None:
    if can_see_review_schedule(request.user):
        panels.append(ReviewsDuePanel())


# --- The report --------------------------------------------------------------------------


class ReviewScheduleFilterSet(WagtailFilterSet):
    """The report's filters. Their values are annotations of `review_schedule`."""

    status = django_filters.MultipleChoiceFilter(
        field_name="review_state",
        label="Status",
        choices=ReviewState.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    specialty = django_filters.ModelChoiceFilter(
        label="Specialty",
        empty_label="Any specialty",
        queryset=lambda request: SpecialtyPage.objects.order_by("title"),
    )
    due = django_filters.DateFromToRangeFilter(
        field_name="review_due",
        label="Next review due",
        widget=DateRangePickerWidget,
    )

    class Meta:
        model = ArticlePage
        fields = ["status", "specialty", "due"]


class LiveArticlePaginator(WagtailPaginator):
    """Says "5 live articles" under the report, not Wagtail's "5 article pages"."""

    verbose_name = "live article"
    verbose_name_plural = "live articles"


class DueDateColumn(Column):
    """The due date with how far off it is ("Overdue by 15 days") underneath."""

    cell_template_name = "medical_content/admin/review_due_cell.html"


class ReviewScheduleView(SafeSpreadsheetExportMixin, ReportView):
    """Reports > Review schedule: every live article and when it is next due a review."""

    page_title = "Review schedule"
    header_icon = "time"
    results_template_name = "medical_content/admin/review_schedule_results.html"
    filterset_class = ReviewScheduleFilterSet
    index_url_name = REPORT_URL_NAME
    index_results_url_name = REPORT_RESULTS_URL_NAME
    default_ordering = "review_due"
    paginator_class = LiveArticlePaginator
    columns = [
        TitleColumn(
            "title", label="Article", get_url=lambda row: row.url, sort_key="title", width="28%"
        ),
        Column("specialty", label="Specialty", width="13%"),
        Column(
            "reviewed_on",
            label="Last clinically reviewed",
            accessor="reviewed_on_display",
            sort_key="reviewed_at",
            width="15%",
        ),
        Column("reviewed_by", label="Reviewed by", width="14%"),
        DueDateColumn("due", label="Next review due", sort_key="review_due", width="17%"),
        StatusTagColumn("status", label="Status", primary=lambda row: row.is_urgent, width="13%"),
    ]
    list_export = ["title", "specialty", "reviewed_on", "reviewed_by", "due", "status"]
    export_headings = {
        "title": "Article",
        "specialty": "Specialty",
        "reviewed_on": "Last clinically reviewed",
        "reviewed_by": "Reviewed by",
        "due": "Next review due",
        "status": "Status",
    }

    @cached_property
    def header_buttons(self):
        # Wagtail keeps both downloads under "..."; publishers looked for CSV in plain sight.
        return [HeaderButton("Download CSV", url=self.csv_export_url, icon_name="download")]

    def get_header_more_buttons(self):
        return [b for b in super().get_header_more_buttons() if b.url != self.csv_export_url]

    def dispatch(self, request, *args, **kwargs):
        # Wagtail's admin turns this into its usual "Sorry, you do not have permission".
        if not can_see_review_schedule(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def today(self) -> datetime.date:
        return timezone.localdate()

    def get_base_queryset(self):
        return review_schedule(self.today)

    def get_valid_orderings(self):
        return ["title", "-title", "review_due", "-review_due", "reviewed_at", "-reviewed_at"]

    def order_queryset(self, queryset):
        key = self.ordering.lstrip("-")
        descending = self.ordering.startswith("-")
        if key == "title":
            return queryset.order_by("-title" if descending else "title", "pk")
        if key == "review_due":
            return by_due_date(queryset, descending)
        reviewed = F(key).desc(nulls_last=True) if descending else F(key).asc(nulls_first=True)
        return queryset.order_by(reviewed, "title", "pk")

    def filter_queryset(self, queryset):
        # A bad value (`?due_from=notadate`) drops that filter only; the rest still apply and
        # the results say which was ignored (Wagtail would drop them all, silently).
        if self.filters is None:
            return queryset
        self.filters.is_valid()
        return self.filters.filter_queryset(queryset)

    def paginate_queryset(self, queryset, page_size):
        # Rows, not pages, from here on: the table and the template show rows.
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = scheduled_reviews(object_list, self.request, self.today)
        return paginator, page, page.object_list, is_paginated

    def decorate_paginated_queryset(self, object_list):
        if isinstance(object_list, QuerySet):  # a download: every row, not paginated
            return scheduled_reviews(object_list, self.request, self.today)
        return object_list

    def get_filename(self) -> str:
        return f"review-schedule-{self.today.isoformat()}"

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["ignored_filters"] = (
            [
                (self.filters.form[name].label, " ".join(errors))
                for name, errors in self.filters.form.errors.items()
            ]
            if self.filters
            else []
        )
        return context


class ReviewScheduleMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return can_see_review_schedule(request.user)


def review_schedule_menu_item() -> MenuItem:
    return ReviewScheduleMenuItem(
        "Review schedule",
        reverse(REPORT_URL_NAME),
        name="review-schedule",
        icon_name="time",
        order=1150,
    )


def review_schedule_urls() -> list:
    return [
        path(
            "reports/review-schedule/",
            ReviewScheduleView.as_view(),
            name=REPORT_URL_NAME,
        ),
        path(
            "reports/review-schedule/results/",
            ReviewScheduleView.as_view(results_only=True),
            name=REPORT_RESULTS_URL_NAME,
        ),
    ]
