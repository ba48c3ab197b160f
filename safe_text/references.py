"""The references a stored rich text holds (page and document links, image embeds), and
which of them no reader or editor could open: an id that is not a database id, an image
layout that does not exist. Imports none of the project's modules (`rich_text.py` and
`rich_text_handlers.py` both use it).
"""

from wagtail.rich_text.rewriters import FIND_A_TAG, FIND_EMBED_TAG, extract_attrs

# The largest id any supported database stores (PostgreSQL's bigint); SQLite raises
# OverflowError past it.
MAX_ID = 2**63 - 1

# What refers to a database row, by tag, attribute and type, and what the editor is told.
MISSING = {
    ("a", "page"): "This link points to a page that does not exist; choose the page again.",
    ("a", "document"): (
        "This link points to a document that does not exist; choose the document again."
    ),
    ("embed", "image"): "This image does not exist; choose the image again.",
}
UNKNOWN_IMAGE_FORMAT = "This image has a layout that does not exist; choose the image again."


def stored_id(value) -> int | None:
    """`value` as the id of a database row, or None when it cannot be one ("abc", "", "0",
    "-3", "1.5", a number past MAX_ID, a missing attribute)."""
    text = str(value) if value is not None else ""
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def image_format_exists(name) -> bool:
    from wagtail.images.formats import get_image_formats

    return any(image_format.name == name for image_format in get_image_formats())


def reference_errors(html: str) -> list[str]:
    """What is wrong with the references in stored rich text, one message per kind."""
    errors = []
    references = [("a", match) for match in FIND_A_TAG.finditer(html)]
    references += [("embed", match) for match in FIND_EMBED_TAG.finditer(html)]
    for tag, match in references:
        attrs = extract_attrs(match.group(1))
        kind = attrs.get("linktype" if tag == "a" else "embedtype")
        message = MISSING.get((tag, kind))
        if message is None:
            continue
        if stored_id(attrs.get("id")) is None:
            errors.append(message)
        elif kind == "image" and not image_format_exists(attrs.get("format")):
            errors.append(UNKNOWN_IMAGE_FORMAT)
    return list(dict.fromkeys(errors))
