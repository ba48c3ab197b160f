"""Admin listings whose filter form refuses a value: no rows, and the listing says why.

Wagtail's generic listing ignores a filter form that does not validate and lists everything,
so `/admin/consent_records/?export=csv&consent_id=garbage` downloaded every consent record. A
privacy admin who asked for one reader's records must never get every reader's.
"""


class StrictFiltersMixin:
    """For a Wagtail listing view with a `filterset_class` (list it before Wagtail's bases).

    An invalid filter matches nothing: the listing says which filter and why where its rows
    would be (the filter form marks the field too), and a download holds only its headings.
    """

    @property
    def has_invalid_filters(self) -> bool:
        return bool(self.filters) and not self.filters.is_valid()

    @property
    def is_filtering(self) -> bool:
        # Wagtail counts only a valid filter; the listing must not say "Why not add one?".
        return self.has_invalid_filters or super().is_filtering

    def filter_queryset(self, queryset):
        if self.has_invalid_filters:
            return queryset.none()
        return super().filter_queryset(queryset)

    @property
    def no_results_message(self):
        if not self.has_invalid_filters:
            return super().no_results_message
        form = self.filters.form
        problems = "; ".join(
            f"{form[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()
        )
        return f"Nothing is shown: a filter is not valid ({problems}). Correct it or clear it."
