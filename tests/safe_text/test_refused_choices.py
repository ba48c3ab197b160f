"""A chooser posted with something that is not an id (no chooser's script sends one, a
hand-made request can) is a form error on that field, never a 500, in every kind of admin form
of the apps: a page's own field, an inline panel's row, a snippet, the consent settings."""

import pytest
from django.urls import reverse

from consent.models import ConsentSettings
from medical_content import factories
from tests.forms import posted_fields

NOT_AN_ID = "abc"


def post_with(client, url: str, name: str, form_id: str | None = None):
    """The edit form as the admin shows it, posted with `name` set to something not an id."""
    page = client.get(url)
    assert page.status_code == 200
    fields = dict(posted_fields(page.content.decode(), form_id))
    assert name in fields, sorted(fields)
    fields[name] = NOT_AN_ID
    return client.post(url, fields)


def refused(response) -> bool:
    return response.status_code == 200 and "Select a valid choice" in response.content.decode()


@pytest.mark.django_db
class TestPageForms:
    def test_a_procedures_specialty(self, admin_client, home):
        index = factories.ProcedureIndexPageFactory(parent=home)
        procedure = factories.ProcedurePageFactory(parent=index)
        url = reverse("wagtailadmin_pages:edit", args=[procedure.pk])
        assert refused(post_with(admin_client, url, "specialty", "page-edit-form"))
        procedure.refresh_from_db()
        assert procedure.specialty_id is not None

    def test_an_experts_photo(self, admin_client, expert_index):
        expert = factories.ExpertProfilePageFactory(parent=expert_index)
        url = reverse("wagtailadmin_pages:edit", args=[expert.pk])
        assert refused(post_with(admin_client, url, "photo", "page-edit-form"))

    def test_a_row_of_an_inline_panel(self, admin_client, expert_index):
        expert = factories.ExpertProfilePageFactory(parent=expert_index)
        url = reverse("wagtailadmin_pages:edit", args=[expert.pk])
        response = post_with(admin_client, url, "specialties-0-specialty", "page-edit-form")
        assert refused(response)
        assert expert.specialties.first().specialty is not None


@pytest.mark.django_db
def test_a_patient_ratings_expert(admin_client, expert_index):
    rating = factories.PatientRatingFactory(expert=factories.ExpertProfilePageFactory())
    url = reverse("wagtailsnippets_medical_content_patientrating:edit", args=[rating.pk])
    assert refused(post_with(admin_client, url, "expert"))


@pytest.mark.django_db
def test_the_consent_settings_policy_page(admin_client, home):
    settings = ConsentSettings.load()
    url = reverse("wagtailsettings:edit", args=["consent", "consentsettings", settings.pk])
    assert refused(post_with(admin_client, url, "privacy_policy_page"))
