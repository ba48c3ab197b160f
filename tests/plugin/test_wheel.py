"""The wheel holds the three apps and their shared text rules, with their templates, static
files and migrations, and nothing of the demo site around them."""

import email
import zipfile

import pytest

APPS = ("medical_content", "consent", "themes", "safe_text", "page_cache")


@pytest.mark.parametrize(
    "name",
    [
        # Pages and blocks ship with the app that defines them; the theme ships the base.
        "medical_content/templates/medical_content/article_page.html",
        "medical_content/templates/medical_content/blocks/question_answer_block.html",
        "medical_content/templates/medical_content/includes/article_card.html",
        "medical_content/templates/medical_content/admin/review_schedule_results.html",
        "medical_content/static/medical_content/readability.js",
        "medical_content/migrations/0001_initial_content_model.py",
        "medical_content/management/commands/load_demo_data.py",
        "consent/templates/consent/banner.html",
        "consent/static/consent/consent.min.js",
        "consent/migrations/__init__.py",
        "themes/templates/themes/base.html",
        "themes/static/themes/css/site.css",
        "themes/templatetags/themes_tags.py",
        "safe_text/control_characters.py",
    ],
)
def test_the_wheel_ships_what_a_host_site_runs(wheel_files, name):
    assert name in wheel_files


def test_the_wheel_holds_nothing_of_the_demo_site_or_the_tests(wheel_files):
    top_level = {name.split("/")[0] for name in wheel_files}
    assert top_level == {*APPS, "wagtail_medical_publisher-0.1.0.dist-info"}
    assert not [name for name in wheel_files if "__pycache__" in name or name.endswith(".pyc")]


def test_the_wheel_declares_ranges_and_the_demo_extra(wheel):
    with zipfile.ZipFile(wheel) as archive:
        metadata = email.message_from_bytes(
            archive.read("wagtail_medical_publisher-0.1.0.dist-info/METADATA")
        )
    requires = metadata.get_all("Requires-Dist")
    assert "wagtail<8.1,>=7.4" in requires
    assert "Django<6.0,>=5.2" in requires
    assert "django-cookie-consent<1.1,>=1.0" in requires
    # The demo content's factories are not a dependency of a site that installs the plugin.
    assert 'factory-boy<4,>=3.3; extra == "demo"' in requires
    assert metadata["License-Expression"] == "BSD-3-Clause"
