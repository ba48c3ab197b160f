"""Pages load consent.min.js, built from the reviewed source consent.js: the two must agree."""

import gzip

import pytest
from django.core.management import CommandError, call_command

from consent.management.commands import build_consent_script as build

# DESIGN.md: the consent layer's script stays under 3 KB gzipped.
BUDGET = 3 * 1024


def test_the_minified_script_is_built_from_the_current_source():
    call_command("build_consent_script", "--check")


def test_a_stale_minified_script_is_reported(tmp_path, monkeypatch):
    stale = tmp_path / "consent.min.js"
    stale.write_text(build.minified().replace("decided", "decidd"), encoding="utf-8")
    monkeypatch.setattr(build, "MINIFIED", stale)
    with pytest.raises(CommandError, match="out of date"):
        call_command("build_consent_script", "--check")


def test_the_script_pages_load_is_within_budget():
    size = len(gzip.compress(build.MINIFIED.read_bytes(), compresslevel=9))
    assert size < BUDGET, f"consent.min.js is {size} bytes gzipped"
