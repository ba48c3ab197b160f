"""Admin forms for medical content pages.

Used by: editors, in the page editor. Wagtail lets a draft be saved incomplete (it defers
required fields); submitting for review or publishing runs the full checks below.
"""

from wagtail.admin.forms import WagtailAdminPageForm

from .choices import CreditRole

NO_AUTHOR = (
    "Credit at least one author before you submit this article for review: readers are told "
    "who wrote it, and reviewers check that nobody approves their own article."
)


class ArticlePageForm(WagtailAdminPageForm):
    """An article going to review or to readers must credit an author."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django adds a hidden "initial" input for fields with a callable default
        # (`publication_date`); Wagtail never renders it, so the form would always count as
        # changed and a reviewer approving from the editor would save a new, unapproved
        # revision each time.
        for field in self.fields.values():
            field.show_hidden_initial = False

    def clean(self):
        cleaned_data = super().clean()
        if not self.is_deferred_validation and not self._credits_an_author():
            self.add_error(None, NO_AUTHOR)
        return cleaned_data

    def _credits_an_author(self) -> bool:
        formset = self.formsets.get("credits")
        if formset is None:
            return True
        # ClusterForm validates formsets after the form itself; validating now is cached.
        formset.is_valid()
        return any(
            form.cleaned_data.get("role") == CreditRole.AUTHOR
            and form.cleaned_data.get("expert")
            and not form.cleaned_data.get("DELETE")
            for form in formset.forms
            if hasattr(form, "cleaned_data")
        )
