"""Sensitive health topics: which pages are sensitive, and why.

Reading about some topics can reveal something private about a reader's health (sexual
health, mental health, pregnancy loss). Editors tick "sensitive topic" (`marked_sensitive`) on
a specialty, a procedure or an article; the rest is inherited:

- a specialty is sensitive when it is marked;
- a procedure when it is marked or its specialty is;
- an article when it is marked, its specialty is, or any of its related procedures is
  (the procedure marked, or the procedure's specialty);
- an expert profile when any of its specialties is marked.

The effective value is stored in `is_sensitive` when a page is saved in full (publishing
saves the published revision in full; saving a draft does not touch the live row), and
brought up to date in bulk on the pages that inherit it when a specialty or procedure is
published, so serving a page reads one stored column and runs no extra query. The consent
layer reads it through the template context (`sensitive_page`, else `page.is_sensitive`);
nothing here knows about consent.

Each page type writes its rule twice, side by side in its class: `sensitivity_reasons()` on
the page object in memory (a revision's object, whose related rows are in memory: what the
editor is about to publish) and `sensitive_rule()` in SQL, for the bulk refresh; tests hold
them to the same answers. This module holds what the four page types share, and imports
none of them.
"""

from django.db import models
from django.db.models import Q, QuerySet
from wagtail.admin.panels import Panel

from page_cache import invalidation

from . import tree_cache

OWN = "It is marked sensitive."
WHAT_IT_DOES = (
    "Tick it for topics whose reading could reveal something private about a reader's "
    "health, such as sexual health, mental health or pregnancy loss. Sensitive pages never "
    "show advertising, and analytics is told neither their title nor their address."
)


def marked_sensitive_field(inherited: str) -> models.BooleanField:
    """The editor's "sensitive topic" tick box; `inherited` says what follows from it."""
    return models.BooleanField(
        "sensitive topic", default=False, help_text=f"{WHAT_IT_DOES} {inherited}"
    )


def is_sensitive_field() -> models.BooleanField:
    """The effective value, stored; set by `StoresSensitivity`, never by a form."""
    return models.BooleanField("sensitive", default=False, editable=False)


def reasons_for(page) -> list[str]:
    """Why `page` is sensitive, as sentences for an editor; empty when it is not.

    Read from the page object as it stands in memory (its own flag, its specialty and its
    related rows, e.g. from `revision.as_object()`), and from the specialties and procedures
    as they are stored (their published state).
    """
    return list(dict.fromkeys(page.sensitivity_reasons()))  # without repeats, in order


def sensitive_rule(model: type[models.Model]) -> Q:
    """The same rules as `reasons_for`, as a filter on `model`'s stored rows."""
    if not issubclass(model, StoresSensitivity):
        raise TypeError(f"{model.__name__} has no sensitivity rule")
    return model.sensitive_rule()


def sync_stored(pages: QuerySet, *, gains_only: bool = False) -> int:
    """Set `is_sensitive` by the rule on `pages`, in two UPDATEs that touch only the rows
    whose value changes (one with `gains_only`); the number of rows changed."""
    model = pages.model
    rule = sensitive_rule(model)
    candidates = model.objects.filter(pk__in=pages.values("pk"))
    changed = candidates.filter(rule, is_sensitive=False).update(is_sensitive=True)
    if not gains_only:
        changed += candidates.filter(is_sensitive=True).exclude(rule).update(is_sensitive=False)
    return changed


def refresh_dependents_of(page, *, gains_only: bool = False) -> int:
    """After a specialty or procedure was saved in full: bring the stored value of the pages
    that inherit from it (`page.sensitive_dependents()`) up to date, in a few bulk queries
    (`gains_only`: only ever make pages sensitive, never the reverse)."""
    dependents = page.sensitive_dependents()
    changed = sum(sync_stored(pages, gains_only=gains_only) for pages in dependents)
    if changed:
        # update() sends no signals: drop cached filter options that carry the old value, and
        # the kept pages of those that inherit it (they now carry ads and analytics, or not).
        tree_cache.invalidate()
        invalidation.pages_changed(each for pages in dependents for each in pages)
    return changed


class StoresSensitivity:
    """Page mixin: a full save (publishing, creating, moving) stores the effective value and,
    for a specialty or procedure, refreshes the pages that inherit from it. Saves of some
    fields only (`save_revision` for a live page's draft) change nothing, so a draft's tick
    does not reach readers before it is published.

    Wagtail also saves a page that is not live in full when its draft is saved: its stored
    mark then changes without anything being published, so such a save may only make pages
    sensitive, never take it away. Publishing (a live page) refreshes both ways, whether or
    not the mark changed, so it also settles what a draft left behind.
    """

    # Whether other pages inherit from this one (specialties and procedures).
    passes_sensitivity_on: bool = False
    # How the editor's panel names the page, and says why it is not sensitive.
    sensitivity_noun: str = "page"
    not_sensitive_because: str = "it is not marked"

    def sensitivity_reasons(self) -> list[str]:
        """The page type's rule, on the object in memory (see the module's docstring)."""
        raise NotImplementedError

    @classmethod
    def sensitive_rule(cls) -> Q:
        """The same rule as `sensitivity_reasons`, as a filter on the stored rows."""
        raise NotImplementedError

    def sensitive_dependents(self) -> list[QuerySet]:
        """The pages that inherit this page's sensitivity, by type."""
        return []

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is not None:
            return super().save(*args, **kwargs)
        if self.live:  # readers only see live pages; publishing sets `live` before saving
            self.is_sensitive = bool(self.sensitivity_reasons())
        result = super().save(*args, **kwargs)
        if self.passes_sensitivity_on:
            refresh_dependents_of(self, gains_only=not self.live)
        return result


class SensitivityPanel(Panel):
    """Read-only: whether readers see the page as sensitive now, and whether the version being
    edited will be once published, and why.

    The two can differ for days (a draft waiting for review), so the panel never lets the
    version's verdict pass for the live page's.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "medical_content/admin/sensitivity_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            reasons = reasons_for(self.instance)
            context.update(
                live=_live_state(self.instance),
                reasons=reasons,
                verdict=_verdict(self.instance, bool(reasons)),
                # Pages with the tick box say what sensitivity does in its help text.
                has_tick_box=hasattr(self.instance, "marked_sensitive"),
            )
            return context


def _live_state(page) -> str:
    """What readers get now: the stored value of the live page (not the draft's)."""
    live = type(page).objects.filter(pk=page.pk, live=True) if page.pk else None
    stored = live.values_list("is_sensitive", flat=True).first() if live is not None else None
    if stored is None:
        return "Not live: readers cannot see this page."
    return f"Readers now get the live page as {'sensitive' if stored else 'not sensitive'}."


def _verdict(page, sensitive: bool) -> str:
    when = "Once this version is published,"
    noun = page.sensitivity_noun
    if sensitive:
        return f"{when} this {noun} is sensitive:"
    return f"{when} not sensitive: {page.not_sensitive_because}."
