"""The "Consent records" report: privacy admins read, filter and export the proof of consent.

Records are proof, so the report is read-only for everyone (superusers included): the
permission policy grants "view" only, and the viewset serves no add, edit, copy or delete URL.
Privacy admins hold no `view_consentrecord` permission (migration 0003 predates the model), so
the same rule as the rest of the consent admin decides: "Privacy admins" membership or superuser.
"""

from collections import defaultdict
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Q
from django.urls import URLPattern
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView, InspectView
from wagtail.permission_policies import ModelPermissionPolicy

from safe_text.filters import StrictFiltersMixin
from safe_text.spreadsheets import SafeSpreadsheetExportMixin

from .models import ConsentGroup
from .models.records import ConsentRecord, RecordMethod

PRIVACY_ADMINS = "Privacy admins"
# Records list each optional group by position; the group-state filter looks this far.
MAX_GROUPS = 20


def is_privacy_admin(user) -> bool:
    """Superuser or member of "Privacy admins" (one query per request, cached on the user)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_consent_privacy_admin"):
        user._consent_privacy_admin = user.groups.filter(name=PRIVACY_ADMINS).exists()
    return user._consent_privacy_admin


class RecordPermissionPolicy(ModelPermissionPolicy):
    """Privacy admins and superusers may view records; nobody may add, change or delete one."""

    def user_has_permission(self, user, action):
        return action == "view" and is_privacy_admin(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and is_privacy_admin(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)


def group_state_choices() -> list[tuple[str, str]]:
    return [
        (f"{varname}:{state}", f"{name} {state}")
        for varname, name in ConsentGroup.objects.filter(is_required=False)
        .order_by("ordering", "name")
        .values_list("varname", "name")
        for state in ("accepted", "declined")
    ]


def group_state_q(varname: str, accepted: bool) -> Q:
    """Records whose `groups` list holds {"varname": varname, "accepted": accepted}.

    Array-index key transforms work on SQLite and PostgreSQL alike, unlike `contains` on a
    JSON list (PostgreSQL only) or matching the serialised text (key order differs).
    """
    query = Q(pk__in=[])
    for index in range(MAX_GROUPS):
        query |= Q(
            **{f"groups__{index}__varname": varname, f"groups__{index}__accepted": accepted}
        )
    return query


# "Unknown", Django's word for "either", reads as a third state of the record.
ANY_YES_NO = [("", "Any"), ("true", "Yes"), ("false", "No")]


class ConsentRecordFilterSet(WagtailFilterSet):
    consent_id = django_filters.UUIDFilter(label="Consent id")
    decided_at = django_filters.DateFromToRangeFilter(
        label="Decided between", widget=DateRangePickerWidget
    )
    method = django_filters.ChoiceFilter(choices=RecordMethod.choices)
    re_ask = django_filters.BooleanFilter(
        label="Asked again", widget=forms.Select(choices=ANY_YES_NO)
    )
    gpc = django_filters.BooleanFilter(
        label="Global Privacy Control", widget=forms.Select(choices=ANY_YES_NO)
    )
    group_state = django_filters.ChoiceFilter(
        label="Group state", choices=[], method="filter_group_state"
    )

    class Meta:
        model = ConsentRecord
        fields = ["consent_id", "decided_at", "method", "re_ask", "gpc", "group_state"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["group_state"].extra["choices"] = group_state_choices()

    def filter_group_state(self, queryset, name, value):
        varname, _, state = value.partition(":")
        return queryset.filter(group_state_q(varname, state == "accepted"))


def groups_summary(record: ConsentRecord) -> str:
    return ", ".join(
        f"{group.get('name') or group.get('varname')} {'✓' if group.get('accepted') else '✗'}"
        for group in record.groups or []
    )


# --- The chart: acceptance rate per optional group by ISO week ----------------------------


@dataclass
class Series:
    varname: str
    name: str
    colour: str
    points: list  # [{index, week, rate 0..1, percent, accepted, total}]


COLOURS = ["#007d7e", "#cd4444", "#5c3bbf", "#b56100", "#2e6f3e", "#1f5fa6"]


def acceptance_by_week(queryset) -> dict:
    """Weeks and, per group, accepted/total per week, from ONE query over the records."""
    counts = defaultdict(lambda: [0, 0])  # (varname, week) -> [accepted, total]
    names = {}
    weeks = set()
    for decided_at, groups in queryset.order_by().values_list("decided_at", "groups"):
        year, week, _ = timezone.localtime(decided_at).isocalendar()
        key = f"{year}-W{week:02d}"
        weeks.add(key)
        for group in groups or []:
            varname = group.get("varname")
            names.setdefault(varname, group.get("name") or varname)
            cell = counts[(varname, key)]
            cell[0] += bool(group.get("accepted"))
            cell[1] += 1
    weeks = sorted(weeks)
    series = []
    for number, (varname, name) in enumerate(names.items()):
        points = []
        for index, week in enumerate(weeks):
            accepted, total = counts.get((varname, week), (0, 0))
            if total:
                points.append(
                    {
                        "index": index,
                        "week": week,
                        "rate": accepted / total,
                        "percent": round(100 * accepted / total),
                        "accepted": accepted,
                        "total": total,
                    }
                )
        series.append(Series(varname, name, COLOURS[number % len(COLOURS)], points))
    return {"weeks": weeks, "series": series, "svg": chart_svg(weeks, series)}


def line_xy(line: Series) -> list[tuple[int, float]]:
    return [(point["index"], point["rate"]) for point in line.points]


def chart_svg(weeks: list[str], series: list[Series]) -> str:
    """A line chart as inline SVG: one line per group, 0-100 % against the weeks."""
    if not weeks:
        return ""
    width, height, left, right, top, bottom = 640, 240, 44, 40, 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(weeks) - 1, 1)

    def x(index):
        return left + (index * step if len(weeks) > 1 else plot_w / 2)

    def y(rate):
        return top + plot_h * (1 - rate)

    parts = []
    for percent in (0, 25, 50, 75, 100):
        level = y(percent / 100)
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#ccc"/>'
                '<text x="{}" y="{}" text-anchor="end" font-size="11">{}%</text>',
                left,
                width - right,
                f"{level:.1f}",
                f"{level:.1f}",
                left - 6,
                f"{level + 4:.1f}",
                percent,
            )
        )
    label_every = max(1, len(weeks) // 8)
    for index, week in enumerate(weeks):
        if index % label_every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>',
                    f"{x(index):.1f}",
                    height - bottom + 16,
                    week,
                )
            )
    for line in series:
        coords = " ".join(f"{x(i):.1f},{y(rate):.1f}" for i, rate in line_xy(line))
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                coords,
                line.colour,
            )
        )
        parts.extend(
            format_html(
                '<circle cx="{}" cy="{}" r="3" fill="{}"/>',
                f"{x(i):.1f}",
                f"{y(rate):.1f}",
                line.colour,
            )
            for i, rate in line_xy(line)
        )
    return format_html(
        '<svg viewBox="0 0 {} {}" width="100%" role="img" aria-hidden="true" '
        'focusable="false" class="consent-records-chart">{}</svg>',
        width,
        height,
        format_html_join("", "{}", ((part,) for part in parts)),
    )


# --- Views --------------------------------------------------------------------------------

BASE_EXPORT = [
    "consent_id",
    "decided_at",
    "method",
    "re_ask",
    "gpc",
    "policy_version",
    "banner_version_id",
]


class ConsentRecordIndexView(StrictFiltersMixin, SafeSpreadsheetExportMixin, IndexView):
    custom_field_preprocess = {
        "decided_at": {IndexView.FORMAT_CSV: lambda value: value.isoformat()}
    }

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.is_export:
            groups = list(
                ConsentGroup.objects.filter(is_required=False)
                .order_by("ordering", "name")
                .values_list("varname", flat=True)
            )
            columns = [f"group:{varname}" for varname in groups]
            self.list_export = [*BASE_EXPORT, *columns, "path", "browser"]
            self.export_headings = {
                "consent_id": "Consent id",
                "re_ask": "Asked again",
                "gpc": "Global Privacy Control",
                "decided_at": "Decided at",
                "banner_version_id": "Banner version id",
                **{column: column.partition(":")[2] for column in columns},
            }

    def to_row_dict(self, item):
        row = {}
        states = {g.get("varname"): g.get("accepted") for g in item.groups or []}
        for field in self.list_export:
            if field.startswith("group:"):
                state = states.get(field.partition(":")[2])
                row[field] = "" if state is None else ("accepted" if state else "declined")
            else:
                row[field] = getattr(item, field)
        return row

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if not self.is_export:
            context["chart"] = acceptance_by_week(self.object_list)
        return context


class ConsentRecordInspectView(InspectView):
    def get_groups_display_value(self):
        return format_html_join(
            "",
            "<div>{} ({} v{}): {}</div>",
            (
                (
                    g.get("name"),
                    g.get("varname"),
                    g.get("version"),
                    "accepted" if g.get("accepted") else "declined",
                )
                for g in self.object.groups or []
            ),
        )

    def get_banner_version_display_value(self):
        banner = self.object.banner_version
        if banner is None:
            return "-"
        return format_html(
            '<p>{}</p><p><strong>{}</strong></p><pre style="white-space: pre-wrap">{}</pre>',
            banner,
            banner.title,
            banner.text,
        )


READ_ONLY_URLS = {"index", "index_results", "inspect"}


def read_only(patterns: list[URLPattern]) -> list[URLPattern]:
    return [pattern for pattern in patterns if pattern.name in READ_ONLY_URLS]


GROUPS_COLUMN = Column("groups", label="Groups", accessor=groups_summary)
ASKED_AGAIN_COLUMN = Column(
    "re_ask",
    label="Asked again",
    accessor=lambda record: "Yes" if record.re_ask else "No",
    sort_key="re_ask",
)
GPC_COLUMN = Column(
    "gpc", label="GPC", accessor=lambda record: "Yes" if record.gpc else "No", sort_key="gpc"
)
