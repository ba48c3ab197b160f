"""Admin forms for medical content pages and snippets.

Used by: editors, in the page editor and under Snippets. Every page type's form is a
`PageForm` and every snippet's a `SnippetForm`: what an editor types may not hold a control
character (safe_text), in any field. Wagtail lets a draft be saved incomplete (it defers
required fields); submitting for review or publishing runs the full checks below. Kept free
of model imports: the models name these forms as their `base_form_class`.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from safe_text.forms import AdminFormRulesMixin

from .choices import CreditRole

NO_AUTHOR = (
    "Credit at least one author before you submit this article for review: readers are told "
    "who wrote it, and reviewers check that nobody approves their own article."
)


class PageForm(AdminFormRulesMixin, WagtailAdminPageForm):
    """The base form of every page type of the app: a control character in a title, a
    promote-tab field or an inline panel's line is a form error on that field, not a value
    that later breaks an Excel download of the site history or the review schedule; a chooser
    posted with something that is not an id is a form error too, never a 500."""


class SnippetForm(AdminFormRulesMixin, WagtailAdminModelForm):
    """The base form of the snippets editors edit (staff members, patient ratings)."""


class ArticlePageForm(PageForm):
    """An article going to review or to readers must credit an author."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django adds a hidden "initial" input for fields with a callable default
        # (`publication_date`); Wagtail never renders it, so the form would always count as
        # changed and a reviewer approving from the editor would save a new, unapproved
        # revision each time.
        for field in self.fields.values():
            field.show_hidden_initial = False

    def clean_next_review_due(self):
        """After the last clinical review and in the future. Checked here, where the editor
        chooses it, not on the model: publishing an old revision must not fail on a date
        that has since passed (the approval then uses the default interval instead)."""
        due = self.cleaned_data.get("next_review_due")
        if due is None or "next_review_due" not in self.changed_data:
            # Left as it was: an overdue article resubmitted unchanged for its re-review
            # still shows its passed date, which the approval will then ignore.
            return due
        last = self.instance.last_clinical_approval()
        if last is not None and due <= last.approved_on:
            raise ValidationError(
                "The next review must be due after the last clinical review "
                f"({date_format(last.approved_on, 'j F Y')}). Leave it empty for the default."
            )
        if due <= timezone.localdate():
            raise ValidationError(
                "The next review must be in the future. Leave it empty for the default."
            )
        return due

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


class ExpertProfilePageForm(PageForm):
    """The profile's admin login (shown only to people who manage users) is one login per
    profile, and it is saved at once, not on publishing: it says who may approve clinical
    reviews, which is not something to schedule or leave in a draft."""

    def clean_user(self):
        user = self.cleaned_data.get("user")
        if user is not None:
            others = type(self.instance).objects.exclude(pk=self.instance.pk).filter(user=user)
            other = others.first()
            if other is not None:
                raise ValidationError(f"This login is already linked to {other.title}.")
        return user

    def save(self, commit=True):
        page = super().save(commit=commit)
        if "user" in self.changed_data and page.pk:
            type(page).objects.filter(pk=page.pk).update(user=page.user)
        return page
