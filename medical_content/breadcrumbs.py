"""The trail from the site's home page to the current page."""

from dataclasses import dataclass

from django.http import HttpRequest
from wagtail.models import Page, Site


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str


def breadcrumbs(page: Page, request: HttpRequest) -> list[Crumb]:
    """Home first, the page itself last.

    Walks `get_parent()`, which Wagtail's routing has already cached on each page it passed
    through, so a served page costs no query here; a preview may cost one per level.
    """
    site = Site.find_for_request(request)
    root_id = site.root_page_id if site else None
    chain = [page]
    while chain[-1].pk != root_id and chain[-1].depth > 2:
        parent = chain[-1].get_parent()
        if parent is None:
            break
        chain.append(parent)
    chain.reverse()
    return [Crumb("Home" if p.pk == root_id else p.title, p.get_url(request) or "") for p in chain]
