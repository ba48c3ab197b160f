"""The app's system checks name each piece of set-up a host site must add for it to work."""

import copy

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from medical_content.checks import (
    FINISH_ACTION,
    REQUEST_CONTEXT_PROCESSOR,
    check_site_set_up,
    check_workflow_settings,
)


def _ids() -> set[str]:
    return {problem.id for problem in [*check_workflow_settings(), *check_site_set_up()]}


def _without_request_processor(templates: list[dict]) -> list[dict]:
    templates = copy.deepcopy(templates)
    for engine in templates:
        processors = engine["OPTIONS"]["context_processors"]
        engine["OPTIONS"]["context_processors"] = [
            p for p in processors if p != REQUEST_CONTEXT_PROCESSOR
        ]
    return templates


class TestSystemChecks:
    def test_the_demo_settings_pass(self):
        assert _ids() == set()

    def test_wagtails_default_finish_action_is_an_error(self, settings):
        del settings.WAGTAIL_FINISH_WORKFLOW_ACTION
        assert _ids() == {"medical_content.E001"}
        settings.WAGTAIL_FINISH_WORKFLOW_ACTION = "wagtail.workflows.publish_workflow_state"
        assert _ids() == {"medical_content.E001"}
        settings.WAGTAIL_FINISH_WORKFLOW_ACTION = FINISH_ACTION
        assert _ids() == set()

    def test_no_reapproval_on_edit_is_an_error(self, settings):
        settings.WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = False
        assert _ids() == {"medical_content.E002"}
        del settings.WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT  # Wagtail's default: False
        assert _ids() == {"medical_content.E002"}

    def test_a_template_engine_without_the_request_processor_is_an_error(self, settings):
        settings.TEMPLATES = _without_request_processor(settings.TEMPLATES)
        assert _ids() == {"medical_content.E003"}

    def test_a_missing_app_is_named(self, monkeypatch):
        # Changing INSTALLED_APPS itself would reload the app registry under Wagtail's API.
        installed = apps.is_installed
        monkeypatch.setattr(
            apps, "is_installed", lambda name: name != "wagtail.search" and installed(name)
        )
        (problem,) = check_site_set_up()
        assert problem.id == "medical_content.E004"
        assert "wagtail.search" in problem.msg

    def test_manage_py_check_fails_on_them(self, settings):
        del settings.WAGTAIL_FINISH_WORKFLOW_ACTION
        with pytest.raises(SystemCheckError, match=r"medical_content\.E001"):
            call_command("check")


class TestWhyTheRequestProcessorIsNeeded:
    """E003's message says what a reader would lose; this shows it is so."""

    def test_without_it_the_search_page_has_no_navigation(self, client, settings, article_index):
        assert 'href="/articles/"' in client.get("/search/?q=heart").content.decode()
        settings.TEMPLATES = _without_request_processor(settings.TEMPLATES)
        assert 'href="/articles/"' not in client.get("/search/?q=heart").content.decode()
