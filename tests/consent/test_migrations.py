"""The groups migration on a database where django-cookie-consent already held rows.

A site that used the library before this app keeps its groups' names and texts, and every
group and cookie it had shows up in the admin and the cookie declaration (a companion row).
"""

from importlib import import_module

import pytest
from cookie_consent.models import Cookie, CookieGroup
from django.apps import apps

from consent.models import ConsentCookie, ConsentGroup

create_groups = import_module("consent.migrations.0002_default_cookie_groups").create_groups


@pytest.fixture
def library_only_rows(db):
    """What a site had before this app: library rows only (our companion rows removed)."""
    ConsentCookie.objects.all()._raw_delete(ConsentCookie.objects.db)
    ConsentGroup.objects.all()._raw_delete(ConsentGroup.objects.db)
    necessary = CookieGroup.objects.get(varname="necessary")
    CookieGroup.objects.filter(pk=necessary.pk).update(name="Essential", description="Ours.")
    social = CookieGroup.objects.create(varname="social", name="Social media")
    Cookie.objects.create(cookiegroup=social, name="share_id")
    return necessary, social


class TestGroupsMigrationOnLibraryRows:
    def test_runs_without_duplicating_cookies(self, library_only_rows):
        create_groups(apps, None)
        assert Cookie.objects.filter(name="csrftoken").count() == 1
        assert ConsentCookie.objects.count() == Cookie.objects.count()
        assert ConsentGroup.objects.count() == CookieGroup.objects.count()

    def test_an_existing_group_keeps_its_words_and_gains_its_purpose(self, library_only_rows):
        create_groups(apps, None)
        necessary = ConsentGroup.objects.get(varname="necessary")
        assert (necessary.name, necessary.description) == ("Essential", "Ours.")
        assert necessary.purpose == "necessary"

    def test_other_library_groups_and_cookies_are_listed(self, library_only_rows):
        create_groups(apps, None)
        assert ConsentGroup.objects.get(varname="social").purpose == "functional"
        assert ConsentCookie.objects.filter(name="share_id").exists()

    def test_running_it_again_changes_nothing(self, library_only_rows):
        create_groups(apps, None)
        before = (ConsentGroup.objects.count(), ConsentCookie.objects.count())
        create_groups(apps, None)
        assert (ConsentGroup.objects.count(), ConsentCookie.objects.count()) == before
