"""The HTTP methods the site's pages answer: GET and HEAD, nothing else.

Every page type of ours only shows something; none takes a form. Wagtail's pages otherwise
answer POST, PUT, PATCH and DELETE with the whole page, and OPTIONS with an empty 200 whose
`Allow` lists all of those. With this mixin Wagtail's own method check (a `before_serve_page`
hook, run before view restrictions) answers any other method with a 405 whose `Allow` says
"GET, HEAD" and whose body is empty.

OPTIONS gets that 405 too, rather than an empty 200: the site offers no CORS and nothing of
ours sends OPTIONS, the 405's `Allow` tells a client all an OPTIONS answer would, a
cross-origin preflight is refused plainly, and the consent layer's views (Django's
`require_http_methods`) already answer it so. The search view says the same with Django's
`require_safe`.
"""

from http import HTTPMethod


class GetAndHeadOnlyMixin:
    """Put first in the bases of each page class of ours (a host site's own pages keep
    Wagtail's defaults)."""

    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD]
