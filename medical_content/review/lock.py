"""The clinical review's lock: nobody but a superuser edits a page while it is in that step.

Reviewers comment, approve or request changes; they do not change what the editor submitted,
so the revision they approve is the one they were given. Wagtail's group approval task lets
the task's group edit; `ClinicalReviewTask` locks the page for them too (`locked_for_user`)
and names this lock as its `lock_class`, so Wagtail's editor shows the page read-only with
the message below and refuses every save from it (Save draft, autosave, Approve with a change,
a revert). `ArticlePage.save_revision` (`refuse_locked_revision`) refuses the routes that do
not look at the lock (the admin API's revert).

Used by: medical reviewers, editors and publishers in the page editor. Wagtail hides a locked
page's workflow buttons; `wagtail_hooks.ReviewActionMenuItem` gives the reviewer them back.
Imported by the task model, so nothing here imports Wagtail's admin views.
"""

from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from wagtail.locks import WorkflowLock

UNDER_REVIEW = (
    "This page is under clinical review: reviewers comment, approve or request changes, "
    "and nobody edits it until the review is over."
)
FOR_REVIEWERS = "Approve or request changes (with your comment) from the menu below."
FOR_OTHERS = (
    "To change it, ask the medical reviewer to request changes, or cancel the workflow if you "
    "submitted it."
)


class LockedByWorkflow(PermissionDenied):
    """A revision saved by someone the page's current workflow step locks out (a 403)."""


class ClinicalReviewLock(WorkflowLock):
    """Wagtail's workflow lock, with the clinical review's reason and what each person can do."""

    def get_message(self, user):
        if not self.for_user(user):
            return None
        can_review = bool(self.task.get_actions(self.object, user))
        return format_html(
            "<b>{}</b> {}", UNDER_REVIEW, FOR_REVIEWERS if can_review else FOR_OTHERS
        )

    def get_locked_by(self, user, can_lock=False):
        return "Locked by clinical review"

    def get_description(self, user, can_lock=False):
        return "Nobody edits the page during clinical review; reviewers approve or request changes"


def refuse_locked_revision(page, user) -> None:
    """`ArticlePage.save_revision`: no new revision by someone the current workflow step locks
    out, on any route (Wagtail's editor looks at the lock; its admin API's revert does not).

    Any step's lock, not only the clinical review's: the editorial check locks editors out
    as Wagtail's group approval task does, and that lock deserves the same respect.
    """
    task = page.current_workflow_task if page.pk else None
    if user is not None and task is not None and task.locked_for_user(page, user):
        raise LockedByWorkflow(
            f"This page is awaiting '{task.name}' in its workflow, so you cannot change it "
            "until that step is over."
        )
