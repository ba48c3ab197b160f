"""The site's icon: in every page's head, at /favicon.ico for browsers and crawlers that ask
there (a 404 before, which also cost Lighthouse's best-practices score), and as a touch icon."""

import re

import pytest
from PIL import Image

ICON_LINK = re.compile(r'<link rel="(icon|apple-touch-icon)" href="([^"]+)"')


def fetched(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_every_page_links_icons_that_load(client, public_urls, tmp_path):
    for url in public_urls:
        links = ICON_LINK.findall(client.get(url).content.decode())
        assert {rel for rel, _ in links} == {"icon", "apple-touch-icon"}, url
    sizes = {}
    for _rel, href in links:
        body = fetched(client, href)
        if href.endswith(".svg"):
            assert body.startswith(b"<svg"), href
            continue
        path = tmp_path / href.rsplit("/", 1)[-1]
        path.write_bytes(body)
        sizes[href.rsplit("/", 1)[-1]] = Image.open(path).size
    assert sizes == {"favicon.ico": (48, 48), "apple-touch-icon.png": (180, 180)}


@pytest.mark.django_db
def test_favicon_ico_at_the_root_is_the_themes_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/themes/icons/favicon.ico")
    ico = fetched(client, response["Location"])
    assert ico[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
