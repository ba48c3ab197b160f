"""Proof of consent: what each reader was asked and what they answered.

Written by the decision views (never edited in the admin); read by privacy admins. Unlike
django-cookie-consent's LogItem, a record keeps a consent id (so one reader's decisions
chain), the policy version, the exact banner words shown, and every group's state by name,
so it survives the group being deleted.
"""

import hashlib

from django.db import models
from django.utils import timezone


class RecordMethod(models.TextChoices):
    """How the reader answered."""

    ACCEPT_ALL = "accept_all", "Accept all"
    # "Accept all" under Global Privacy Control (the banner's "Accept analytics", the
    # preference centre's "Accept all but advertising"): the signal refused the rest.
    ACCEPT_ALL_BUT_GPC = "accept_all_gpc", "Accept all but advertising (GPC)"
    REJECT_ALL = "reject_all", "Reject all"
    CUSTOM = "custom", "Custom choice"
    WITHDRAWAL = "withdrawal", "Withdrawal"


class BannerVersion(models.Model):
    """One wording of the banner. Never changed: new words make a new version, so a record
    always points at the exact words the reader was shown."""

    title = models.CharField(max_length=255)
    text = models.TextField(help_text="The banner's text as HTML, as readers were shown it.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Banner version {self.pk} ({self.created_at:%Y-%m-%d})"

    @staticmethod
    def digest_of(title: str, text: str) -> str:
        return hashlib.sha256(f"{title}\x00{text}".encode()).hexdigest()

    @classmethod
    def for_words(cls, title: str, text: str) -> "BannerVersion":
        """The version with exactly these words, made the first time they are shown (safe
        under concurrent decisions: the digest is unique)."""
        version, _ = cls.objects.get_or_create(
            digest=cls.digest_of(title, text), defaults={"title": title, "text": text}
        )
        return version


class ConsentRecord(models.Model):
    """One decision by one reader: kept as proof, pruned after the retention period."""

    consent_id = models.UUIDField(db_index=True)
    decided_at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=20, choices=RecordMethod.choices)
    re_ask = models.BooleanField(
        "asked again",
        default=False,
        help_text="The reader had decided before, but a policy change or expiry asked again.",
    )
    # [{"varname": ..., "name": ..., "version": ..., "accepted": bool}, ...]: by name, so a
    # record survives its group being renamed or deleted.
    groups = models.JSONField()
    policy_version = models.PositiveIntegerField()
    banner_version = models.ForeignKey(
        BannerVersion, null=True, on_delete=models.PROTECT, related_name="records"
    )
    gpc = models.BooleanField(
        "Global Privacy Control",
        default=False,
        help_text="The reader's browser sent a Global Privacy Control signal, so advertising "
        "was refused unless they turned it on themselves in the cookie settings.",
    )
    path = models.CharField(max_length=500, blank=True)
    browser = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.consent_id} {self.get_method_display()} {self.decided_at:%Y-%m-%d %H:%M}"
