"""A rich-text link or image whose reference cannot be followed, in an article or a profile.

Draftail posts contentstate JSON, so a hand-made request can link text to the page "abc".
Saving it is a form error on the field; a value already stored (by a shell, an import, an old
release) renders as a broken link, for readers and in the editor, never as a server error.
"""

import json

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Revision
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from medical_content import factories
from tests.safe_text.draftail import contentstate

from .admin_flow import edit_url, text

PAGE_MESSAGE = "This link points to a page that does not exist; choose the page again."
UNREADABLE_MESSAGE = "This text could not be read. Type it again and save."
BAD_LINK = '<p>Read <a linktype="page" id="abc">the leaflet</a> first.</p>'
BAD_IMAGE = '<p>Before.</p><embed embedtype="image" id="abc" format="left"/><p>After.</p>'


def form_messages(response) -> list[str]:
    """Every error message of the page form, those inside body blocks included (the editor
    shows those with its script, from JSON, so they are not in the page's text)."""
    found = []

    def walk(data) -> None:
        if isinstance(data, dict):
            for value in data.values():
                walk(value)
        elif isinstance(data, list):
            for value in data:
                walk(value)
        elif isinstance(data, str):
            found.append(data)

    for errors in response.context["form"].errors.as_data().values():
        for error in errors:
            walk(error.as_json_data() if hasattr(error, "as_json_data") else error.messages)
    return found


def _with_body(form: dict, blocks: list) -> dict:
    """The edit form with its body replaced by `blocks` (as `streamfield()` takes them)."""
    form = {key: value for key, value in form.items() if not key.startswith("body-")}
    return {**form, **nested_form_data({"body": streamfield(blocks)})}


def _store(page, field: str, value) -> None:
    """Write `value` into the page and its latest revision straight to the database, as a
    shell or an import would: no form, no model validation."""
    type(page).objects.filter(pk=page.pk).update(**{field: value})
    revision = page.get_latest_revision()
    content = dict(revision.content)
    content[field] = json.dumps(value) if isinstance(value, list) else value
    Revision.objects.filter(pk=revision.pk).update(content=content)


@pytest.fixture
def bio_expert(expert_index):
    expert = factories.ExpertProfilePageFactory(
        parent=expert_index,
        given_name="Ines",
        family_name="Marlow",
        bio="<p>Runs a heart rhythm clinic.</p>",
    )
    expert.save_revision().publish()
    return expert


def _expert_form(expert, bio: str) -> dict:
    return nested_form_data(
        {
            "title": expert.title,
            "slug": expert.slug,
            "honorific": expert.honorific,
            "given_name": expert.given_name,
            "family_name": expert.family_name,
            "job_title": expert.job_title,
            "short_bio": expert.short_bio,
            "bio": bio,
            "specialties": {
                "TOTAL_FORMS": "1",
                "INITIAL_FORMS": "1",
                "MIN_NUM_FORMS": "0",
                "MAX_NUM_FORMS": "1000",
                "0": {
                    "id": expert.specialties.get().pk,
                    "specialty": expert.specialties.get().specialty_id,
                    "ORDER": "1",
                    "DELETE": "",
                },
            },
            "qualifications": {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"},
            "locations": {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"},
            "comments": {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"},
        }
    )


# --- Saving: a form error, nothing saved -------------------------------------------------


@pytest.mark.django_db
class TestSavingABrokenReference:
    @pytest.mark.parametrize("link_id", ["abc", "", 0, -3, "1.5", "99999999999999999999"])
    def test_a_page_link_to_a_made_up_id_in_a_paragraph_is_refused(
        self, live_gout, editor_client, edit_form, link_id
    ):
        revisions = live_gout.revisions.count()
        form = _with_body(
            edit_form(live_gout),
            [("paragraph", contentstate("the leaflet", {"url": "/x/", "id": link_id}))],
        )
        response = editor_client.post(edit_url(live_gout), form)
        assert response.status_code == 200
        assert PAGE_MESSAGE in form_messages(response)
        assert live_gout.revisions.count() == revisions

    def test_a_page_link_to_a_made_up_id_in_a_question_s_answer_is_refused(
        self, live_gout, editor_client, edit_form
    ):
        revisions = live_gout.revisions.count()
        answer = contentstate("the leaflet", {"url": "/x/", "id": "abc"})
        form = _with_body(
            edit_form(live_gout), [("question", {"question": "Is it gout?", "answer": answer})]
        )
        response = editor_client.post(edit_url(live_gout), form)
        assert response.status_code == 200
        assert PAGE_MESSAGE in form_messages(response)
        assert live_gout.revisions.count() == revisions

    @pytest.mark.parametrize(
        "payload",
        ["not json", "[]", '{"blocks": "x"}', contentstate("x", {"url": None})],
        ids=["not-json", "list", "blocks-string", "link-without-url"],
    )
    def test_an_unreadable_paragraph_is_a_form_error(
        self, live_gout, editor_client, edit_form, payload
    ):
        revisions = live_gout.revisions.count()
        form = _with_body(edit_form(live_gout), [("paragraph", payload)])
        response = editor_client.post(edit_url(live_gout), form)
        assert response.status_code == 200
        assert UNREADABLE_MESSAGE in form_messages(response)
        assert live_gout.revisions.count() == revisions

    def test_a_page_link_chosen_in_the_editor_is_saved(
        self, live_gout, editor_client, edit_form, bio_expert
    ):
        link = {"url": bio_expert.url, "id": bio_expert.pk, "parentId": None}
        form = _with_body(edit_form(live_gout), [("paragraph", contentstate("her profile", link))])
        response = editor_client.post(edit_url(live_gout), form)
        assert response.status_code == 302
        live_gout.refresh_from_db()
        saved = live_gout.get_latest_revision().as_object().body.raw_data[0]["value"]
        assert f'<a linktype="page" id="{bio_expert.pk}">her profile</a>' in saved

    def test_a_page_link_to_a_made_up_id_in_an_expert_s_bio_is_refused(
        self, bio_expert, superuser, as_user
    ):
        revisions = bio_expert.revisions.count()
        bio = contentstate("my clinic", {"url": "/x/", "id": "abc"})
        response = as_user(superuser).post(edit_url(bio_expert), _expert_form(bio_expert, bio))
        assert response.status_code == 200
        assert PAGE_MESSAGE in form_messages(response)
        assert bio_expert.revisions.count() == revisions

    def test_an_expert_s_bio_with_a_plain_link_is_saved(self, bio_expert, superuser, as_user):
        bio = contentstate("my clinic", {"url": "https://clinic.example/"})
        response = as_user(superuser).post(edit_url(bio_expert), _expert_form(bio_expert, bio))
        assert response.status_code == 302
        bio_expert.refresh_from_db()
        saved = bio_expert.get_latest_revision().as_object().bio
        assert '<a href="https://clinic.example/">my clinic</a>' in saved


# --- Reading what is already stored: never a server error --------------------------------


@pytest.mark.django_db
class TestReadingABrokenReference:
    @pytest.mark.parametrize(
        "html",
        [
            BAD_LINK,
            BAD_LINK.replace('"abc"', '"99999999999999999999"'),
            BAD_LINK.replace(' id="abc"', ""),
            BAD_LINK.replace('"page"', '"document"'),
        ],
        ids=["letters", "too-large", "no-id", "document"],
    )
    def test_an_article_with_a_made_up_page_link_is_read_and_edited(
        self, live_gout, reader_client, editor_client, html
    ):
        _store(live_gout, "body", factories.stream_data(("paragraph", html)))

        public = reader_client.get(live_gout.url)
        assert public.status_code == 200
        assert "Read the leaflet first." in text(public.content.decode())
        for url in (edit_url(live_gout), f"/admin/pages/{live_gout.pk}/view_draft/"):
            response = editor_client.get(url)
            assert response.status_code == 200, url
            assert "the leaflet" in response.content.decode(), url

    def test_an_article_with_a_made_up_image_is_read_and_edited(
        self, live_gout, reader_client, editor_client
    ):
        _store(live_gout, "body", factories.stream_data(("paragraph", BAD_IMAGE)))

        public = reader_client.get(live_gout.url)
        assert public.status_code == 200
        assert "Before. After." in text(public.content.decode())
        for url in (edit_url(live_gout), f"/admin/pages/{live_gout.pk}/view_draft/"):
            assert editor_client.get(url).status_code == 200, url

    def test_an_expert_s_bio_with_a_made_up_page_link_is_read_and_edited(
        self, bio_expert, reader_client, superuser, as_user
    ):
        _store(bio_expert, "bio", BAD_LINK)

        public = reader_client.get(bio_expert.url)
        assert public.status_code == 200
        assert "Read the leaflet first." in text(public.content.decode())
        for url in (edit_url(bio_expert), f"/admin/pages/{bio_expert.pk}/view_draft/"):
            response = as_user(superuser).get(url)
            assert response.status_code == 200, url
            assert "the leaflet" in response.content.decode(), url

    def test_the_editor_shows_the_made_up_link_as_broken_and_saving_it_says_why(
        self, live_gout, editor_client, edit_form
    ):
        """Opened, the link is kept (Draftail marks it "Broken link"); posted back unchanged,
        the form says what to do rather than dropping the editor's link without a word."""
        _store(live_gout, "body", factories.stream_data(("paragraph", BAD_LINK)))
        form = _with_body(edit_form(live_gout), [("paragraph", rich_text(BAD_LINK))])
        response = editor_client.post(edit_url(live_gout), form)
        assert response.status_code == 200
        assert PAGE_MESSAGE in form_messages(response)


@pytest.mark.django_db
def test_a_made_up_link_never_reaches_the_article_model(live_gout):
    """Code that saves a page (an import, a shell) meets the same rule as the form."""
    live_gout.body = factories.stream_data(("paragraph", BAD_LINK))
    with pytest.raises(ValidationError):
        live_gout.full_clean()
    expert = factories.ExpertProfilePageFactory()
    expert.bio = BAD_LINK
    with pytest.raises(ValidationError):
        expert.full_clean()
