"""Wagtail's page-link, document-link and image handlers, reading a malformed stored id as a
missing row: readers get a link without an address or an empty image, the editor a broken
link or image that saving asks to choose again (`rich_text.py` says why).

Imported while Wagtail scans its rich-text features, after the apps have loaded: Wagtail's
handler modules load models when imported.
"""

from wagtail.admin.rich_text.converters.contentstate_models import Entity
from wagtail.admin.rich_text.converters.html_to_contentstate import PageLinkElementHandler
from wagtail.rich_text.pages import PageLinkHandler

from .references import image_format_exists, stored_id


def _as_missing(attrs: dict) -> dict:
    return {**attrs, "id": None}


def _readable(attrs: dict) -> dict:
    """`attrs` with an id the database can be asked for, or with None (matches no row)."""
    return attrs if stored_id(attrs.get("id")) is not None else _as_missing(attrs)


class PageLinks(PageLinkHandler):
    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list:
        return super().get_many([_readable(attrs) for attrs in attrs_list])


class PageLinkElements(PageLinkElementHandler):
    def get_attribute_data(self, attrs: dict) -> dict:
        if stored_id(attrs.get("id")) is None:
            # Still a page link, a broken one (as Wagtail keeps a deleted page's id), so
            # saving it unchanged is refused with a message rather than losing the link.
            return {"id": attrs.get("id", ""), "url": None, "parentId": None}
        return super().get_attribute_data(attrs)


def _document_links():
    from wagtail.documents.rich_text import DocumentLinkHandler

    class DocumentLinks(DocumentLinkHandler):
        @classmethod
        def get_many(cls, attrs_list: list[dict]) -> list:
            return super().get_many([_readable(attrs) for attrs in attrs_list])

    return DocumentLinks


def _image_handlers() -> tuple[type, object]:
    from wagtail.images.rich_text import ImageEmbedHandler
    from wagtail.images.rich_text.contentstate import ImageElementHandler

    def readable_image(attrs: dict) -> dict:
        if not image_format_exists(attrs.get("format")):
            return _as_missing(attrs)
        return _readable(attrs)

    class ImageEmbeds(ImageEmbedHandler):
        @classmethod
        def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
            return super().expand_db_attributes_many([readable_image(a) for a in attrs_list])

    class ImageElements(ImageElementHandler):
        def create_entity(self, name, attrs, state, contentstate):
            if readable_image(attrs)["id"] is None:
                data = {
                    "id": attrs.get("id", ""),
                    "src": "",
                    "alt": attrs.get("alt"),
                    "format": attrs.get("format", ""),
                }
                return Entity("IMAGE", "IMMUTABLE", data)
            return super().create_entity(name, attrs, state, contentstate)

    return ImageEmbeds, ImageElements()


def _replace_reader(features, feature: str, selector: str, handler) -> None:
    """Swap the handler that turns stored HTML matching `selector` into Draftail's format."""
    rules = features.converter_rules_by_converter.get("contentstate", {})
    rule = rules.get(feature)
    if rule and selector in rule.get("from_database_format", {}):
        readers = {**rule["from_database_format"], selector: handler}
        rules[feature] = {**rule, "from_database_format": readers}


def register(features) -> None:
    """Replace the handlers Wagtail registered, for the apps the site has installed."""
    features.register_link_type(PageLinks)
    _replace_reader(features, "link", 'a[linktype="page"]', PageLinkElements("LINK"))
    if "document" in features.link_types:
        features.register_link_type(_document_links())
    if "image" in features.embed_types:
        embeds, elements = _image_handlers()
        features.register_embed_type(embeds)
        _replace_reader(features, "image", 'embed[embedtype="image"]', elements)
