"""What Draftail posts for a rich-text field or block: its contentstate JSON, built by hand.

Wagtail's `rich_text()` test helper builds it from stored HTML through the editor's own
converter, so it cannot make a payload that converter refuses, or one a browser sends on purpose.
"""

import json


def contentstate(text: str, link: dict | None = None, key: str = "a") -> str:
    """One paragraph holding `text`, the whole of it linked with the LINK entity data `link`
    (for a page link, Draftail sends `{"id": ..., "url": ..., "parentId": ...}`)."""
    entity_map = {}
    ranges = []
    if link is not None:
        entity_map["0"] = {"type": "LINK", "mutability": "MUTABLE", "data": link}
        ranges.append({"offset": 0, "length": len(text), "key": 0})
    block = {
        "key": key,
        "text": text,
        "type": "unstyled",
        "depth": 0,
        "inlineStyleRanges": [],
        "entityRanges": ranges,
    }
    return json.dumps({"blocks": [block], "entityMap": entity_map})
