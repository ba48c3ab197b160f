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

The rules are written twice, side by side below: `reasons_for` on a page object in memory
(a revision's object, whose related rows are in memory: what the editor is about to publish)
and `sensitive_rule` in SQL, for the bulk refresh. Tests hold them to the same answers.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from wagtail.admin.panels import Panel

from . import page_cache

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
    from .models import ArticlePage, ExpertProfilePage, ProcedurePage, SpecialtyPage

    reasons: list[str] = []
    if isinstance(page, SpecialtyPage | ProcedurePage | ArticlePage) and page.marked_sensitive:
        reasons.append(OWN)
    if isinstance(page, ProcedurePage | ArticlePage):
        reasons += _specialty_reasons([page.specialty_id])
    if isinstance(page, ArticlePage):
        reasons += _procedure_reasons([row.procedure_id for row in page.related_procedures.all()])
    if isinstance(page, ExpertProfilePage):
        reasons += _specialty_reasons([row.specialty_id for row in page.specialties.all()])
    return list(dict.fromkeys(reasons))  # without repeats, in order


def _specialty_reasons(ids: list[int | None]) -> list[str]:
    from .models import SpecialtyPage

    ids = list(dict.fromkeys(pk for pk in ids if pk is not None))  # each once, in order
    if not ids:
        return []
    marked = dict(
        SpecialtyPage.objects.filter(pk__in=ids, marked_sensitive=True).values_list("pk", "title")
    )
    return [f'Its specialty "{marked[pk]}" is marked sensitive.' for pk in ids if pk in marked]


def _procedure_reasons(ids: list[int | None]) -> list[str]:
    from .models import ProcedurePage

    ids = list(dict.fromkeys(pk for pk in ids if pk is not None))  # each once, in order
    if not ids:
        return []
    rows = {
        pk: (title, marked, specialty)
        for pk, title, marked, specialty, specialty_marked in ProcedurePage.objects.filter(
            Q(marked_sensitive=True) | Q(specialty__marked_sensitive=True), pk__in=ids
        ).values_list(
            "pk", "title", "marked_sensitive", "specialty__title", "specialty__marked_sensitive"
        )
    }
    reasons = []
    for pk in ids:
        if pk not in rows:
            continue
        title, marked, specialty = rows[pk]
        if marked:
            reasons.append(f'Its procedure "{title}" is marked sensitive.')
        else:
            reasons.append(
                f'Its procedure "{title}" is in the specialty "{specialty}", which is marked '
                "sensitive."
            )
    return reasons


def sensitive_rule(model: type[models.Model]) -> Q:
    """The same rules as `reasons_for`, as a filter on `model`'s stored rows."""
    from .models import (
        ArticlePage,
        ArticleProcedure,
        ExpertProfilePage,
        ExpertSpecialty,
        ProcedurePage,
        SpecialtyPage,
    )

    marked_specialty = Exists(
        SpecialtyPage.objects.filter(pk=OuterRef("specialty_id"), marked_sensitive=True)
    )
    if model is SpecialtyPage:
        return Q(marked_sensitive=True)
    if model is ProcedurePage:
        return Q(marked_sensitive=True) | Q(marked_specialty)
    if model is ArticlePage:
        sensitive_procedure = ArticleProcedure.objects.filter(page=OuterRef("pk")).filter(
            Q(procedure__marked_sensitive=True) | Q(procedure__specialty__marked_sensitive=True)
        )
        return Q(marked_sensitive=True) | Q(marked_specialty) | Q(Exists(sensitive_procedure))
    if model is ExpertProfilePage:
        return Q(
            Exists(
                ExpertSpecialty.objects.filter(
                    page=OuterRef("pk"), specialty__marked_sensitive=True
                )
            )
        )
    raise TypeError(f"{model.__name__} has no sensitivity rule")


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
    that inherit from it up to date, in a few bulk queries (`gains_only`: only ever make
    pages sensitive, never the reverse).

    Reads the articles' related procedures as stored, which are those of their live
    version. A procedure that is deleted leaves its articles as they were until they are
    next published: they may stay sensitive a while longer, which is the safe direction.
    """
    from .models import ArticlePage, ExpertProfilePage, ProcedurePage, SpecialtyPage

    changed = 0
    if isinstance(page, SpecialtyPage):
        changed += sync_stored(ProcedurePage.objects.filter(specialty=page), gains_only=gains_only)
        changed += sync_stored(
            ArticlePage.objects.filter(
                Q(specialty=page) | Q(related_procedures__procedure__specialty=page)
            ),
            gains_only=gains_only,
        )
        changed += sync_stored(
            ExpertProfilePage.objects.filter(specialties__specialty=page), gains_only=gains_only
        )
    elif isinstance(page, ProcedurePage):
        changed += sync_stored(
            ArticlePage.objects.filter(related_procedures__procedure=page), gains_only=gains_only
        )
    if changed:
        # update() sends no signals: drop cached filter options that carry the old value.
        page_cache.invalidate()
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

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is not None:
            return super().save(*args, **kwargs)
        if self.live:  # readers only see live pages; publishing sets `live` before saving
            self.is_sensitive = bool(reasons_for(self))
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
    from .models import ArticlePage, ExpertProfilePage, ProcedurePage

    if isinstance(page, ArticlePage):
        noun, none = "article", "neither this article nor its specialty or procedures are marked"
    elif isinstance(page, ProcedurePage):
        noun, none = "procedure", "neither this procedure nor its specialty is marked"
    elif isinstance(page, ExpertProfilePage):
        noun, none = "profile", "none of this profile's specialties is marked"
    else:
        noun, none = "specialty", "this specialty is not marked"
    when = "Once this version is published,"
    return f"{when} this {noun} is sensitive:" if sensitive else f"{when} not sensitive: {none}."
