"""Clinical review: the workflow's two tasks and the approval records readers' trust rests on.

Used by: publishers (the editorial check) and medical reviewers (the clinical review), through
Wagtail's workflow in the page editor; the public article reads its approval record from here.
What counts as the same clinical content, and the messages, are in `review/rules.py`; the
database side of the rules (is this revision approved? may this user approve it?) is here, on
the approvals' queryset and on the tasks.

A revision of an article "has passed clinical review" when a medical reviewer approved it, or
approved a revision with the same clinical content (everything a reader sees; not Wagtail's
bookkeeping, the schedule or the next review date). Publishing anything else is refused for
everyone but superusers, on every route: the editor's Publish button (`before_publish_page`),
the article's permission tester (which Wagtail's admin API, bulk actions and menus ask), and
`ArticlePage.publish` (workflows, bulk publish, `publish_scheduled`, commands).
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import AbstractGroupApprovalTask, Revision

from ..review.lock import ClinicalReviewLock
from ..review.rules import (
    AUTHOR_MAY_NOT_APPROVE,
    NO_LINKED_PROFILE,
    NOT_AN_ARTICLE,
    NOT_APPROVED,
    credited_author_ids,
    fingerprint,
    next_review_due,
)
from .experts import ExpertProfilePage


class ClinicalApprovalQuerySet(models.QuerySet):
    def covering(self, revision: Revision) -> "ClinicalApproval | None":
        """The article's newest approval, if it approved this revision's clinical content.

        Only the newest: content that a later review replaced (say, before a warning was
        added) is no longer approved, even though a reviewer once approved it.
        """
        newest = (
            self.filter(page_id=int(revision.object_id)).order_by("-approved_at", "-pk").first()
        )
        if newest is not None and newest.fingerprint == fingerprint(revision.content):
            return newest
        return None

    def publish_refusal(self, revision: Revision, user) -> str | None:
        """Why `user` may not publish `revision` of an article, or None if they may."""
        if user is not None and user.is_superuser:
            return None
        if user is None and revision.approved_go_live_at is not None:
            # `publish_scheduled`: the revision was checked when it was scheduled.
            return None
        if self.covering(revision) is not None:
            return None
        return NOT_APPROVED

    def record(
        self,
        revision: Revision,
        user,
        comment: str = "",
        approved_at: datetime.datetime | None = None,
    ) -> "ClinicalApproval":
        """Record that `user` (a reviewer with a linked profile) approved `revision` (now,
        unless `approved_at` says otherwise: demo data and tests)."""
        expert = ExpertProfilePage.objects.linked_to(user)
        if expert is None:
            raise ValueError("A clinical approval needs a reviewer with an expert profile.")
        approved_at = approved_at or timezone.now()
        return self.create(
            page_id=int(revision.object_id),
            revision=revision,
            reviewer=user,
            expert=expert,
            reviewer_name=expert.full_name,
            approved_at=approved_at,
            next_review_due=next_review_due(revision, timezone.localdate(approved_at)),
            comment=comment,
            fingerprint=fingerprint(revision.content),
        )

    def carry_to(self, revision: Revision) -> "ClinicalApproval | None":
        """On publishing a revision, point an approval of identical content at it.

        The public page then finds its approval by the live revision's id in one query, and
        the record says where the approval came from. Returns the live revision's approval,
        or None when nobody approved this content (a superuser published it).
        """
        content = fingerprint(revision.content)
        existing = self.filter(revision=revision, fingerprint=content).first()
        if existing is not None:
            return existing
        source = self.covering(revision)
        if source is None:
            return None
        # A carried approval may bring the next review forward, never push it back: only a
        # clinician's approval starts a new review period.
        due = min(source.next_review_due, next_review_due(revision, source.approved_on))
        return self.create(
            page_id=source.page_id,
            revision=revision,
            reviewer_id=source.reviewer_id,
            expert_id=source.expert_id,
            reviewer_name=source.reviewer_name,
            approved_at=source.approved_at,
            next_review_due=due,
            comment=source.comment,
            fingerprint=source.fingerprint,
            carried_from=source.carried_from or source,
        )


class ClinicalApproval(models.Model):
    """A named clinician approved one revision of an article, on a date.

    Written only by the clinical review task (and by `load_demo_data`); never edited. When a
    later revision with the same clinical content is published (say, a new go-live date), the
    approval is carried to it in a new record pointing at the original (`carried_from`).
    """

    page = models.ForeignKey(
        "medical_content.ArticlePage", on_delete=models.CASCADE, related_name="clinical_approvals"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.CASCADE, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expert = models.ForeignKey(
        "medical_content.ExpertProfilePage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="clinical_approvals",
    )
    # The reviewer's name as readers saw it, kept if the profile is later deleted.
    reviewer_name = models.CharField(max_length=255)
    approved_at = models.DateTimeField()
    next_review_due = models.DateField()
    comment = models.TextField(blank=True)
    fingerprint = models.CharField(max_length=64)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ClinicalApprovalQuerySet.as_manager()

    class Meta:
        ordering = ["-approved_at", "-pk"]
        indexes = [models.Index(fields=["page", "fingerprint"])]
        verbose_name = "clinical approval"

    def __str__(self) -> str:
        return f"{self.reviewer_name} approved revision {self.revision_id} on {self.approved_on}"

    @property
    def approved_on(self):
        return timezone.localdate(self.approved_at)


class ReviewTask(AbstractGroupApprovalTask):
    """A group approval step that some of its group's members may not approve.

    Wagtail offers "Approve" to every member of the task's groups (and to superusers); the
    subclass names who is refused and why. A refused user still sees "Request changes", and
    a forged approval is refused on the server with the same reason.
    """

    class Meta:
        abstract = True

    def approval_refusal(self, obj, user, task_state=None) -> str | None:
        """Why `user` may not approve this step for `obj` (and, when acting, `task_state`)."""
        raise NotImplementedError

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if actions and self.approval_refusal(obj, user):
            return [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name != "approve":
            return super().on_action(task_state, user, action_name, **kwargs)
        page = task_state.workflow_state.content_object
        refusal = self.approval_refusal(page, user, task_state)
        if refusal:
            raise PermissionDenied(refusal)
        with transaction.atomic():
            self.before_approval(task_state, user, kwargs.get("comment", ""))
            return super().on_action(task_state, user, action_name, **kwargs)

    def before_approval(self, task_state, user, comment: str) -> None:
        """Runs in the approval's transaction, before the workflow moves on (or publishes)."""

    @staticmethod
    def authorship_refusal(page, user, revision: Revision | None = None) -> str | None:
        """Nobody approves a step of an article they are credited as author of, in its latest
        revision or in the revision the step is about (`revision`)."""
        expert = ExpertProfilePage.objects.linked_to(user)
        if expert is None:
            return None
        authors = credited_author_ids(page.get_latest_revision()) | credited_author_ids(revision)
        return AUTHOR_MAY_NOT_APPROVE if expert.pk in authors else None


class EditorialCheckTask(ReviewTask):
    """The first step: a publisher checks the article is complete, clear and on-brand.

    Edited by: superusers, under Settings > Workflow tasks (which groups may approve).
    """

    class Meta:
        verbose_name = "editorial check task"

    def approval_refusal(self, obj, user, task_state=None) -> str | None:
        workflow_state = task_state.workflow_state if task_state else obj.current_workflow_state
        if workflow_state is not None and workflow_state.requested_by_id == user.pk:
            return "You submitted this article for review, so another publisher must check it."
        revision = task_state.revision if task_state else None
        return self.authorship_refusal(obj, user, revision)

    @classmethod
    def get_description(cls) -> str:
        return "Publishers check an article before it goes to clinical review."


class ClinicalReviewTask(ReviewTask):
    """The second step: a medical reviewer with a public profile approves the clinical content.

    Approving writes the `ClinicalApproval` that the public page shows as "Medically reviewed
    by"; the workflow then finishes and publishes (or schedules) the approved revision.

    Reviewers comment, approve or request changes; they do not edit. Wagtail's group task lets
    its group edit (and lock) the page; here the page is locked for everyone but superusers
    while it is in this step (`medical_content.review.lock`), so the revision a reviewer
    approves is the one the editor submitted.
    """

    lock_class = ClinicalReviewLock

    class Meta:
        verbose_name = "clinical review task"

    def locked_for_user(self, obj, user) -> bool:
        return not user.is_superuser

    def user_can_lock(self, obj, user) -> bool:
        # A lock of one's own would lift the review's lock for its holder (Wagtail shows the
        # holder of a page lock an editable page).
        return False

    def start(self, workflow_state, user=None):
        # Wagtail keeps a lock held by a member of the task's groups; nobody but a superuser
        # may hold one through this step (someone who is a publisher and a reviewer, say).
        page = workflow_state.content_object
        if page.locked and page.locked_by is not None and not page.locked_by.is_superuser:
            page.locked, page.locked_by, page.locked_at = False, None, None
            page.save(update_fields=["locked", "locked_by", "locked_at"])
        return super().start(workflow_state, user=user)

    def approval_refusal(self, obj, user, task_state=None) -> str | None:
        """Membership of the task's group is Wagtail's own check; on top of it the reviewer
        needs a linked expert profile (readers are shown who approved) and must not be an
        author."""
        # Looked up, not imported: the article model imports this module.
        if not issubclass(obj.specific_class, apps.get_model("medical_content", "ArticlePage")):
            # An administrator put the task in a workflow for other pages: nothing to record.
            return NOT_AN_ARTICLE
        if ExpertProfilePage.objects.linked_to(user) is None:
            return NO_LINKED_PROFILE
        revision = task_state.revision if task_state else None
        return self.authorship_refusal(obj, user, revision)

    def before_approval(self, task_state, user, comment: str) -> None:
        latest = task_state.workflow_state.content_object.get_latest_revision()
        if latest is None or latest.pk != task_state.revision_id:
            # Approved from the editor together with a change: Wagtail sends the changed
            # version back through the workflow, and nobody has approved it yet.
            return
        ClinicalApproval.objects.record(task_state.revision, user, comment=comment)

    def on_action(self, task_state, user, action_name, **kwargs):
        redirect_to = super().on_action(task_state, user, action_name, **kwargs)
        if action_name in ("approve", "reject"):
            # Wagtail would return the reviewer to the article's editor, which (holding no
            # page permissions) they may no longer open once the step is over.
            return reverse("wagtailadmin_home")
        return redirect_to

    @classmethod
    def get_description(cls) -> str:
        return "A medical reviewer with a public profile approves the clinical content."
