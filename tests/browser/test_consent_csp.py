"""Under the Content-Security-Policy, every kind of tag runs after consent, and nothing else.

The tags load from the other name of the live server (`localhost` for a page on `127.0.0.1`,
or the reverse): another origin to the browser, so each one runs only because the policy
names its host, as Google's or an ad network's would. An inline script injected into the page
(what an XSS would do) and a script from a host no tag uses are refused.
"""

import io
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import ConsoleMessage, Page, expect

from consent.models import ConsentGroup, ConsentTag

from .consent_pages import STUB, wait_for_consent_script, wait_for_stub_tags

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE = "/articles/deep-vein-thrombosis/"
INLINE_TAG = "window.inlineTagRan = true;"


def other_origin(site: str) -> str:
    """The live server under its other host name: same server, another origin."""
    parts = urlsplit(site)
    other = "localhost" if parts.hostname == "127.0.0.1" else "127.0.0.1"
    return f"{parts.scheme}://{other}:{parts.port}"


@pytest.fixture
def tags_elsewhere(demo_site: str, settings) -> str:
    """One tag of each kind, all loading from the other origin; the page's address."""
    elsewhere = other_origin(demo_site) + STUB
    settings.CONSENT_GOOGLE_TAG_BASE_URL = elsewhere + "google"
    call_command("load_consent_demo", ad_script_url=elsewhere + "ads.js", stdout=io.StringIO())
    analytics = ConsentGroup.objects.get(varname="analytics")
    ConsentTag.objects.create(name="GTM", group=analytics, kind="gtm", tag_id="GTM-AB12CD3")
    ConsentTag.objects.create(
        name="Matomo",
        group=analytics,
        kind="matomo",
        url=elsewhere + "matomo/",
        matomo_site_id=1,
    )
    ConsentTag.objects.create(
        name="Survey",
        group=analytics,
        kind="html",
        html=f'<script src="{elsewhere}custom.js"></script>\n<script>{INLINE_TAG}</script>',
    )
    cache.clear()  # the snapshot was built before the base URL changed
    return demo_site


@pytest.fixture
def refusals(reader_page: Page) -> list[str]:
    """What Chromium reports refusing under the policy, as it happens."""
    seen: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            seen.append(message.text)

    reader_page.on("console", note)
    return seen


def accept_all(page: Page) -> None:
    page.locator("#consent-banner").get_by_role("button", name="Accept all").click()
    expect(page.locator("#consent-banner")).to_be_hidden()


def test_each_kind_of_tag_runs_after_consent_under_the_policy(
    tags_elsewhere: str, reader_page: Page, refusals: list[str]
) -> None:
    with reader_page.expect_response(lambda r: r.url.endswith(ARTICLE)) as answer:
        reader_page.goto(tags_elsewhere + ARTICLE)
    policy = answer.value.headers["content-security-policy"]
    assert other_origin(tags_elsewhere) in policy
    assert "unsafe-inline" not in policy
    wait_for_consent_script(reader_page)
    assert reader_page.evaluate("() => window.stubTags") is None

    with reader_page.expect_request(lambda r: "matomo/matomo.php" in r.url) as hit:
        accept_all(reader_page)
        wait_for_stub_tags(reader_page, "ga4", "gtm", "matomo", "ads", "custom")
    assert urlsplit(hit.value.url).netloc == urlsplit(other_origin(tags_elsewhere)).netloc
    assert reader_page.evaluate("() => window.inlineTagRan") is True
    assert refusals == []


# What an XSS would add to the page: an inline script, an inline event handler, and a script
# from a host no tag uses (127.0.0.2 is loopback too, but no tag names it).
INJECT = """(outside) => {
    const inline = document.createElement("script");
    inline.text = "window.injected = true;";
    document.body.append(inline);
    const outsider = document.createElement("script");
    outsider.src = outside;
    document.body.append(outsider);
    document.body.insertAdjacentHTML(
        "beforeend", '<img src="/missing.png" onerror="window.injectedHandler = true">');
}"""


def test_an_injected_script_does_not_run(
    tags_elsewhere: str, reader_page: Page, refusals: list[str]
) -> None:
    reader_page.goto(tags_elsewhere + ARTICLE)
    wait_for_consent_script(reader_page)
    accept_all(reader_page)
    wait_for_stub_tags(reader_page, "ga4", "gtm", "matomo", "ads", "custom")
    outside = f"http://127.0.0.2:{urlsplit(tags_elsewhere).port}{STUB}ads.js"
    reader_page.evaluate(INJECT, outside)
    for _ in range(50):  # Chromium reports each refusal as it happens; 5 s at most
        if len(refusals) >= 3:
            break
        reader_page.wait_for_timeout(100)
    assert reader_page.evaluate("() => [window.injected, window.injectedHandler]") == [
        None,
        None,
    ]
    assert any("inline script" in r for r in refusals), refusals
    assert any("inline event handler" in r for r in refusals), refusals
    assert any("127.0.0.2" in r for r in refusals), refusals
