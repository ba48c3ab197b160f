"""The rules of clinical review: who may approve, what counts as approved, who may publish.

A revision of an article "has passed clinical review" when a medical reviewer approved it, or
approved a revision with the same clinical content (everything a reader sees; not Wagtail's
bookkeeping, the schedule or the next review date). Publishing anything else is refused for
everyone but superusers, on every route: the editor's Publish button (`before_publish_page`),
the page's own permission tester (which Wagtail's admin API, bulk actions and menus ask),
and `ArticlePage.publish` (workflows, bulk publish, `publish_scheduled`, commands).
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.functional import cached_property
from wagtail.actions.publish_page_revision import PublishPagePermissionError
from wagtail.models import PagePermissionTester, Revision

from . import conf
from .choices import CreditRole
from .models import ArticlePage, ClinicalApproval, ExpertProfilePage

# Revision content that readers never see, or that changes without changing the article.
NOT_CLINICAL = frozenset(
    {
        "pk",
        "path",
        "depth",
        "numchild",
        "url_path",
        "draft_title",
        "live",
        "has_unpublished_changes",
        "first_published_at",
        "last_published_at",
        "live_revision",
        "latest_revision",
        "latest_revision_created_at",
        "go_live_at",
        "expire_at",
        "expired",
        "locked",
        "locked_at",
        "locked_by",
        "owner",
        "content_type",
        "translation_key",
        "locale",
        "alias_of",
        "wagtail_admin_comments",
        "next_review_due",
        "review_approval",
    }
)
# Keys of inline rows (credits, related procedures) that change when a row is merely saved.
ROW_BOOKKEEPING = frozenset({"pk", "page"})

NOT_APPROVED = (
    "This version has not passed clinical review, so it cannot be published. "
    "Submit it to the clinical review workflow; it is published when a medical reviewer "
    "approves it."
)


class ClinicalReviewRequired(PublishPagePermissionError):
    """Publishing an article revision that no medical reviewer approved (a 403)."""


def fingerprint(content: dict[str, Any]) -> str:
    """A hash of a revision's clinical content: equal for revisions a reader cannot tell apart."""
    clinical = {
        key: _normalised(_without_row_bookkeeping(value))
        for key, value in content.items()
        if key not in NOT_CLINICAL
    }
    encoded = json.dumps(clinical, sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _without_row_bookkeeping(value: Any) -> Any:
    if isinstance(value, list):
        return [
            {k: v for k, v in row.items() if k not in ROW_BOOKKEEPING}
            if isinstance(row, dict)
            else row
            for row in value
        ]
    return value


# Draftail adds a key to every block of rich text it saves; readers never see it.
_DRAFTAIL_BLOCK_KEY = re.compile(r'\s+data-block-key="[^"]*"')


def _normalised(value: Any, in_stream: bool = False) -> Any:
    """Leave out what the admin adds on saving without changing what readers see: Draftail's
    block keys in rich text, and StreamField block ids (stored as a JSON string)."""
    if isinstance(value, str):
        if value.startswith("[{"):
            try:
                return _normalised(json.loads(value), in_stream=True)
            except ValueError:
                pass
        return _DRAFTAIL_BLOCK_KEY.sub("", value)
    if isinstance(value, list):
        return [_normalised(item, in_stream) for item in value]
    if isinstance(value, dict):
        return {
            key: _normalised(item, in_stream)
            for key, item in value.items()
            if not (in_stream and key == "id")
        }
    return value


def approval_covering(revision: Revision) -> ClinicalApproval | None:
    """The article's newest approval, if it approved this revision's clinical content.

    Only the newest: content that a later review replaced (say, before a warning was added)
    is no longer approved, even though a reviewer once approved it.
    """
    newest = (
        ClinicalApproval.objects.filter(page_id=int(revision.object_id))
        .order_by("-approved_at", "-pk")
        .first()
    )
    if newest is not None and newest.fingerprint == fingerprint(revision.content):
        return newest
    return None


def publish_refusal(revision: Revision, user) -> str | None:
    """Why `user` may not publish `revision` of an article, or None if they may."""
    if user is not None and user.is_superuser:
        return None
    if user is None and revision.approved_go_live_at is not None:
        # `publish_scheduled`: the revision was checked when it was scheduled.
        return None
    if approval_covering(revision) is not None:
        return None
    return NOT_APPROVED


def check_publish(revision: Revision, user) -> None:
    refusal = publish_refusal(revision, user)
    if refusal:
        raise ClinicalReviewRequired(refusal)


def may_overwrite(page, revision: Revision) -> bool:
    """Wagtail's autosave rewrites a revision in place; never one that readers see, that a
    review step was given, or that was approved."""
    from wagtail.models import TaskState

    return not (
        revision.pk == page.live_revision_id
        or ClinicalApproval.objects.filter(revision=revision).exists()
        or TaskState.objects.filter(revision=revision).exists()
    )


def latest_revision_approved(page) -> bool:
    revision = page.get_latest_revision()
    return revision is not None and approval_covering(revision) is not None


def linked_expert(user) -> ExpertProfilePage | None:
    """The expert profile linked to this login (`ExpertProfilePage.user`), if any."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_linked_expert"):
        user._linked_expert = ExpertProfilePage.objects.filter(user=user).first()
    return user._linked_expert


def credited_author_ids(revision: Revision | None) -> set[int]:
    """The expert profiles credited as authors in a revision's content."""
    if revision is None:
        return set()
    return {
        row["expert"]
        for row in revision.content.get("credits", [])
        if row.get("role") == CreditRole.AUTHOR and row.get("expert")
    }


def authorship_refusal(page, user, revision: Revision | None = None) -> str | None:
    """Nobody approves a step of an article they are credited as author of, in its latest
    revision or in the revision the step is about (`revision`)."""
    expert = linked_expert(user)
    if expert is None:
        return None
    authors = credited_author_ids(page.get_latest_revision()) | credited_author_ids(revision)
    if expert.pk in authors:
        return (
            "You are credited as an author of this article, so you cannot approve it. "
            "Someone else must approve this step."
        )
    return None


def clinical_approval_refusal(page, user, revision: Revision | None = None) -> str | None:
    """Why `user` may not give the clinical approval, or None.

    Membership of the task's group is Wagtail's own check; on top of it the reviewer needs a
    linked expert profile (readers are shown who approved) and must not be an author.
    """
    if not issubclass(page.specific_class, ArticlePage):
        # An administrator put the task in a workflow for other pages: nothing to record.
        return "Clinical review approves articles only; ask an administrator to fix the workflow."
    if linked_expert(user) is None:
        return (
            "Your login is not linked to an expert profile, so readers could not be told who "
            "reviewed this article. Ask an administrator to link your login to your profile."
        )
    return authorship_refusal(page, user, revision)


def record_approval(
    revision: Revision,
    user,
    comment: str = "",
    approved_at: datetime.datetime | None = None,
) -> ClinicalApproval:
    """Record that `user` (a reviewer with a linked profile) approved `revision` (now, unless
    `approved_at` says otherwise: demo data and tests)."""
    expert = linked_expert(user)
    if expert is None:
        raise ValueError("A clinical approval needs a reviewer with an expert profile.")
    approved_at = approved_at or timezone.now()
    return ClinicalApproval.objects.create(
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


def next_review_due(revision: Revision, reviewed_on: datetime.date) -> datetime.date:
    """The editor's date if it is after the review, else the default interval after it."""
    chosen = revision.content.get("next_review_due")
    if isinstance(chosen, str):  # stored content is JSON; a new revision's is still Python
        chosen = parse_date(chosen)
    if isinstance(chosen, datetime.date) and chosen > reviewed_on:
        return chosen
    return reviewed_on + conf.review_interval()


def carry_approval(revision: Revision) -> ClinicalApproval | None:
    """On publishing a revision, point an approval of identical content at it.

    The public page then finds its approval by the live revision's id in one query, and the
    record says where the approval came from. Returns the live revision's approval, or None
    when nobody approved this content (a superuser published it).
    """
    content = fingerprint(revision.content)
    existing = ClinicalApproval.objects.filter(revision=revision, fingerprint=content).first()
    if existing is not None:
        return existing
    source = approval_covering(revision)
    if source is None:
        return None
    # A carried approval may bring the next review forward, never push it back: only a
    # clinician's approval starts a new review period.
    due = min(source.next_review_due, next_review_due(revision, source.approved_on))
    return ClinicalApproval.objects.create(
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


@dataclass(frozen=True)
class ReviewStatus:
    """What readers are told about an article's review: who, when, and when it is next due."""

    expert: ExpertProfilePage | None
    reviewer_name: str
    reviewed_on: datetime.date
    due: datetime.date

    @classmethod
    def of(cls, approval: ClinicalApproval) -> "ReviewStatus":
        return cls(
            expert=approval.expert,
            reviewer_name=approval.reviewer_name,
            reviewed_on=approval.approved_on,
            due=approval.next_review_due,
        )

    @property
    def overdue(self) -> bool:
        """As of rendering; a cached copy is corrected in the browser from the due date."""
        return self.due < timezone.localdate()


class ArticlePermissionTester(PagePermissionTester):
    """Wagtail's page permissions, except that only an approved revision can be published.

    Wagtail asks `can_publish` before offering Publish and scheduling in the editor, in bulk
    actions and in its admin API, so none of them offers to publish an unapproved revision.
    """

    def can_publish(self) -> bool:
        return super().can_publish() and (self.user.is_superuser or self._latest_approved)

    @cached_property
    def _latest_approved(self) -> bool:
        return latest_revision_approved(self.page)

    # These two reuse can_publish in Wagtail but have nothing to do with clinical content.
    def can_unschedule(self) -> bool:
        return super().can_publish()

    def can_set_view_restrictions(self) -> bool:
        return super().can_publish()


class ArticleIndexPermissionTester(PagePermissionTester):
    """New articles are never published straight from the create or copy form: only the
    clinical review workflow (or a superuser) publishes them."""

    def can_publish_subpage(self) -> bool:
        return self.user.is_superuser and super().can_publish_subpage()
