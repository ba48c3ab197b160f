"""A reading-level check for patient information, shown to editors as a Wagtail content check.

Editors writing an article see, in the page editor's Checks panel, its SMOG grade under
"Content metrics" (always, pass or fail) and an issue under "Issues found" when the grade is
above the target (medical_content/readability.py says why SMOG, which target, and from how
many sentences). The userbar's checker on a preview or live article lists the same issue.

How it plugs into Wagtail 8 (wagtail/admin/userbar.py, ui/side_panels.py):
- `construct_wagtail_userbar` swaps Wagtail's content checker item for
  `ReadabilityCheckerItem` on articles only. The editor's Checks panel builds its axe
  configuration through the same hook (`ChecksSidePanel.get_axe_configuration`), and so does
  the preview the panel checks, so both get one more axe rule and check, next to Wagtail's.
- The check's evaluate function cannot travel in JSON: readability.js, added to the userbar as
  the item's media, registers it with `window.wagtail.userbar.registerCheck` before the
  userbar configures axe.
- Wagtail only lists failing rules, with a fixed message, so the grade itself is shown as a
  content metric: `insert_editor_js` adds the script and the metric's template to editors, and
  the script fills it from Wagtail's `w-preview:content` event (the preview's main content).

Imported for its hooks by wagtail_hooks.py.
"""

from django.forms import Media
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext
from wagtail.admin.userbar import AccessibilityItem, BaseItem, ContentCheckerItem
from wagtail.models import Page

from .models import ArticlePage
from .readability import MIN_SENTENCES, TARGET_GRADE

SMOG_RULE_ID = "medical-content-smog"
# readability.js registers its evaluate function under this id.
SMOG_CHECK_ID = "medical-content-smog-grade"
SCRIPT = "medical_content/readability.js"

# Pages that carry long health text for patients; every other page keeps Wagtail's checks only.
GRADED_PAGE_TYPES: tuple[type[Page], ...] = (ArticlePage,)


class ReadabilityCheckerItem(ContentCheckerItem):
    """Wagtail's content checker plus the SMOG reading-level check of patient information.

    The selectors follow the app's article template
    (medical_content/templates/medical_content/article_page.html): a host site that overrides
    it keeps these classes, or overrides the selectors in a subclass.
    """

    # What a patient reads: title, standfirst, body (questions, answers, sub-topics, callouts).
    readable_selectors = [".article__header h1", ".article__standfirst", ".article-body"]
    # Inside those, what is not prose: the sources list, image captions, callout labels.
    unreadable_selectors = [".sources", "figure", ".callout__label"]
    # The element the issue points at; like Wagtail's meta-description rule, a page-level
    # problem is shown on the title.
    anchor_selector = "main h1"

    @property
    def media(self) -> Media:
        return Media(js=[SCRIPT])

    def get_smog_options(self, request: HttpRequest) -> dict:
        """Options of the axe check, read by readability.js in the preview and the editor.

        %(name)s placeholders are filled in by the script.
        """
        return {
            "target": TARGET_GRADE,
            "minSentences": MIN_SENTENCES,
            "readable": self.readable_selectors,
            "unreadable": self.unreadable_selectors,
            "messages": {
                "notGraded": gettext("Not graded"),
                "above": gettext("Too hard: aim for %(target)s or lower for patient information"),
                "within": gettext("Within the target of %(target)s or lower"),
                "tooShort": gettext(
                    "Too short to grade: %(sentences)s sentences; SMOG needs %(min)s or more"
                ),
                "language": gettext("SMOG grades English text only"),
            },
        }

    def get_axe_run_only(self, request: HttpRequest) -> list[str] | None:
        run_only = super().get_axe_run_only(request)
        # Falsy means "every rule", ours included; otherwise Wagtail lists rule ids.
        return [*run_only, SMOG_RULE_ID] if run_only else run_only

    def get_axe_custom_rules(self, request: HttpRequest) -> list[dict]:
        return [
            *super().get_axe_custom_rules(request),
            {
                "id": SMOG_RULE_ID,
                "impact": "moderate",
                "selector": self.anchor_selector,
                "tags": ["best-practice"],
                "any": [SMOG_CHECK_ID],
                "enabled": True,
            },
        ]

    def get_axe_custom_checks(self, request: HttpRequest) -> list[dict]:
        return [
            *super().get_axe_custom_checks(request),
            {"id": SMOG_CHECK_ID, "options": self.get_smog_options(request)},
        ]

    def get_axe_messages(self, request: HttpRequest) -> dict:
        return {
            **super().get_axe_messages(request),
            SMOG_RULE_ID: {
                "error_name": gettext("Reading level too high for patient information"),
                "help_text": gettext(
                    "The SMOG grade, under Content metrics, is above %(target)s. Use shorter "
                    "sentences and everyday words, and explain the medical terms you keep."
                )
                % {"target": TARGET_GRADE},
            },
        }


def is_graded(page: Page | None) -> bool:
    """Whether the page (possibly unsaved, or a generic Page) is of a graded type."""
    page_class = getattr(page, "specific_class", None) or type(page)
    return isinstance(page_class, type) and issubclass(page_class, GRADED_PAGE_TYPES)


def add_readability_check(request: HttpRequest, items: list[BaseItem], page: Page | None) -> None:
    """On articles, replace Wagtail's own checker item (only that: a subclass installed by
    another hook is left alone) by one that also grades the reading level."""
    if not is_graded(page):
        return
    items[:] = [
        ReadabilityCheckerItem(in_editor=item.in_editor)
        if type(item) in (ContentCheckerItem, AccessibilityItem)
        else item
        for item in items
    ]


def readability_editor_js() -> str:
    """The script and the metric's template, on every editor; the script stays idle on pages
    whose axe configuration has no SMOG check."""
    return render_to_string("medical_content/admin/readability_metric.html")
