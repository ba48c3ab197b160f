"""Every page type reads without scrolling sideways from 320 px to a wide screen (WCAG 2.2,
1.4.10 Reflow), with the consent banner open as a first visit shows it."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = [320, 375, 768, 1280]
PAGES = [
    ("home", "/"),
    ("article list", "/articles/"),
    ("article", "/articles/deep-vein-thrombosis/"),
    ("expert directory", "/experts/"),
    ("expert profile", "/experts/dr-imogen-varga/"),
    ("procedure list", "/procedures/"),
    ("procedure", "/procedures/endovenous-laser-ablation/"),
    ("specialty list", "/specialties/"),
    ("specialty", "/specialties/vascular-medicine/"),
    ("search", "/search/?q=clot"),
    ("not found", "/no-such-page/"),
    ("preference centre", "/consent/preferences/"),
]

# What sticks out past the right edge, for the failure message.
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const wider = [...document.querySelectorAll("body *")].filter(e => {
        const box = e.getBoundingClientRect();
        return box.width > 0 && box.right > width + 0.5;
    });
    return {
        scrollWidth: document.documentElement.scrollWidth,
        width,
        wider: wider.slice(0, 5).map(e => e.tagName.toLowerCase()
            + (e.className ? "." + String(e.className).trim().split(/\\s+/).join(".") : "")),
    };
}"""


def test_no_page_scrolls_sideways_at_any_width(
    consent_site: str, reader_page: Page, results_dir: Path
) -> None:
    problems = []
    for width in WIDTHS:
        reader_page.set_viewport_size({"width": width, "height": 800})
        for label, path in PAGES:
            response = reader_page.goto(consent_site + path)
            assert response is not None and response.status in (200, 404), (path, response)
            if label != "preference centre":
                reader_page.locator("#consent-banner").wait_for(state="visible")
            found = reader_page.evaluate(OVERFLOW)
            if width == WIDTHS[0]:  # for a person to look at: test-results/reflow-320-*.png
                name = label.replace(" ", "-")
                reader_page.screenshot(path=results_dir / f"reflow-{width}-{name}.png")
            if found["scrollWidth"] > found["width"]:
                problems.append(
                    f"{label} at {width} px: {found['scrollWidth']} px wide ({found['wider']})"
                )
    assert not problems, "\n".join(problems)
