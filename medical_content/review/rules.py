"""The rules of clinical review that need no database: what counts as the same clinical
content (`fingerprint`), when the next review is due, who is credited as an author, and what
readers and editors are told.

Imports none of the app's models, so the models, the approvals and migrations can all use it.
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.dateparse import parse_date
from wagtail.actions.publish_page_revision import PublishPagePermissionError

from .. import conf
from ..choices import CreditRole

if TYPE_CHECKING:
    from wagtail.models import Revision

    from ..models import ClinicalApproval, ExpertProfilePage

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

AUTHOR_MAY_NOT_APPROVE = (
    "You are credited as an author of this article, so you cannot approve it. "
    "Someone else must approve this step."
)
NO_LINKED_PROFILE = (
    "Your login is not linked to an expert profile, so readers could not be told who "
    "reviewed this article. Ask an administrator to link your login to your profile."
)
NOT_AN_ARTICLE = (
    "Clinical review approves articles only; ask an administrator to fix the workflow."
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


def next_review_due(revision: "Revision", reviewed_on: datetime.date) -> datetime.date:
    """The editor's date if it is after the review, else the default interval after it."""
    chosen = revision.content.get("next_review_due")
    if isinstance(chosen, str):  # stored content is JSON; a new revision's is still Python
        chosen = parse_date(chosen)
    if isinstance(chosen, datetime.date) and chosen > reviewed_on:
        return chosen
    return reviewed_on + conf.review_interval()


def credited_author_ids(revision: "Revision | None") -> set[int]:
    """The expert profiles credited as authors in a revision's content."""
    if revision is None:
        return set()
    return {
        row["expert"]
        for row in revision.content.get("credits", [])
        if row.get("role") == CreditRole.AUTHOR and row.get("expert")
    }


@dataclass(frozen=True)
class ReviewStatus:
    """What readers are told about an article's review: who, when, and when it is next due."""

    expert: "ExpertProfilePage | None"
    reviewer_name: str
    reviewed_on: datetime.date
    due: datetime.date

    @classmethod
    def of(cls, approval: "ClinicalApproval") -> "ReviewStatus":
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
