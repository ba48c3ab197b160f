"""Reader-facing filters for the article list and the expert directory.

Readers (and crawlers) send anything in the query string. A filter value that names no live
specialty or procedure is ignored, and the page says so; it never gives an error.
"""

from dataclasses import dataclass, field

from django.http import HttpRequest
from wagtail.models import Page, Site

from .tree_cache import cached


@dataclass(frozen=True)
class Option:
    pk: int
    slug: str
    title: str
    # The page is a sensitive topic: a listing narrowed to it is sensitive too.
    sensitive: bool = False


def _options(model, site: Site | None) -> tuple[Option, ...]:
    pages = model.objects.live()
    if site is not None:  # on a multi-site install, only this site's pages
        pages = pages.descendant_of(site.root_page)
    return tuple(
        Option(pk, slug, title, sensitive)
        for pk, slug, title, sensitive in pages.order_by("title").values_list(
            "pk", "slug", "title", "is_sensitive"
        )
    )


@dataclass
class TaxonomyFilter:
    """The specialty and procedure a listing is narrowed to, and the options offered."""

    specialties: tuple[Option, ...]
    procedures: tuple[Option, ...]
    specialty: Option | None = None
    procedure: Option | None = None
    ignored: list[str] = field(default_factory=list)

    @classmethod
    def from_request(
        cls, request: HttpRequest, specialty_model: type[Page], procedure_model: type[Page]
    ) -> "TaxonomyFilter":
        """The options (live pages of the two types the listing page passes: this module
        imports no models) come from the cache once warm: no query per page view."""
        site = Site.find_for_request(request)
        key = site.pk if site else "none"
        result = cls(
            specialties=cached(
                f"options:{key}:specialties", lambda: _options(specialty_model, site), request
            ),
            procedures=cached(
                f"options:{key}:procedures", lambda: _options(procedure_model, site), request
            ),
        )
        result.specialty = result._pick(request, "specialty", result.specialties)
        result.procedure = result._pick(request, "procedure", result.procedures)
        return result

    def _pick(self, request: HttpRequest, name: str, options: tuple[Option, ...]) -> Option | None:
        value = request.GET.get(name, "")
        if not value:
            return None
        match = next((o for o in options if o.slug == value), None)
        if match is None:
            self.ignored.append(name)
        return match

    @property
    def active(self) -> bool:
        return self.specialty is not None or self.procedure is not None

    @property
    def sensitive(self) -> bool:
        """Narrowed to a sensitive specialty or procedure (from the cached options: no query),
        or carrying a filter value that names none: the address holds whatever was typed."""
        chosen = (self.specialty, self.procedure)
        return bool(self.ignored) or any(option.sensitive for option in chosen if option)

    def query_string(self) -> str:
        """The filter as a query string prefix for pagination links."""
        parts = []
        if self.specialty:
            parts.append(f"specialty={self.specialty.slug}")
        if self.procedure:
            parts.append(f"procedure={self.procedure.slug}")
        return "&".join(parts)
