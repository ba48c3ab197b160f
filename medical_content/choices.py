"""Fixed choices that editors pick from and templates branch on."""

from django.db import models


class CreditRole(models.TextChoices):
    """What a person did for an article, in the order readers see the credits.

    There is no "medical reviewer" credit to type: readers are told who reviewed an article
    only from the clinical approval of the version they read (see `models/reviews.py`).
    """

    AUTHOR = "author", "Author"
    EDITOR = "editor", "Editor"


# Roles that a public expert profile must fill: readers follow these to a doctor's profile.
EXPERT_ONLY_ROLES = frozenset({CreditRole.AUTHOR})


class CalloutLevel(models.TextChoices):
    """How urgent a callout in an article body is; the theme styles and labels each."""

    URGENT = "urgent", "Urgent: get help now"
    WARNING = "warning", "Important"
    INFO = "info", "Good to know"


class ProcedureKind(models.TextChoices):
    """What a procedure page is about; decides its label and its structured-data type."""

    TREATMENT = "treatment", "Treatment"
    DIAGNOSTIC_TEST = "diagnostic_test", "Diagnostic test"
    CONDITION = "condition", "Condition"


class RatingStatus(models.TextChoices):
    """Moderation state of a patient rating; only approved ratings count."""

    PENDING = "pending", "Awaiting moderation"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
