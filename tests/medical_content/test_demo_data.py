"""The demo content: complete, shaped like the seed page, and safe to load twice."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from medical_content.models import (
    ArticleCredit,
    ArticlePage,
    ExpertProfilePage,
    ExpertSpecialty,
    HomePage,
    PatientRating,
    ProcedurePage,
    StaffMember,
)


def _counts() -> dict[str, int]:
    models = [
        Page,
        ArticlePage,
        ExpertProfilePage,
        ArticleCredit,
        ExpertSpecialty,
        ProcedurePage,
        PatientRating,
    ]
    counts = {model.__name__: model.objects.count() for model in models}
    counts.update(
        staff=StaffMember.objects.count(),
        images=get_image_model().objects.count(),
        revisions=Revision.objects.count(),
        sites=Site.objects.count(),
        users=get_user_model().objects.count(),
    )
    return counts


@pytest.mark.django_db
class TestLoadDemoData:
    def test_running_twice_duplicates_nothing(self, settings):
        settings.DEBUG = True  # demo logins are only made with DEBUG on
        call_command("load_demo_data", "--demo-logins")
        first = _counts()
        call_command("load_demo_data", "--demo-logins")
        assert _counts() == first

    def test_builds_enough_content(self):
        call_command("load_demo_data")
        assert ArticlePage.objects.live().count() >= 4
        assert ExpertProfilePage.objects.live().count() >= 4
        assert ExpertSpecialty.objects.values("specialty").distinct().count() >= 3
        assert ProcedurePage.objects.live().count() >= 10
        assert PatientRating.objects.exists()
        site = Site.objects.get(is_default_site=True)
        assert isinstance(site.root_page.specific, HomePage)
        # Wagtail's own welcome page is gone.
        assert not Page.objects.filter(depth=2).exclude(pk=site.root_page_id).exists()

    def test_deep_vein_thrombosis_article_has_every_part_of_the_seed_page(self, client):
        call_command("load_demo_data")
        html = client.get("/articles/deep-vein-thrombosis/").content.decode()
        assert "<h1>Deep vein thrombosis" in html
        assert "Written by" in html and "Edited by Morgan Ashby" in html
        assert "Medically reviewed by" in html
        assert 'class="article__standfirst"' in html
        assert html.count('class="qa__question"') >= 5
        assert "Preventing clots when you travel</h2>" in html
        assert (
            "callout--urgent" in html and "<figure" in html and '<h2 id="sources-heading">' in html
        )
        assert "Interventional radiology" in html and "View profile" in html
        assert "Overall assessment of their patients" in html
        assert "4.8 out of 5 from 23 patients" in html
        related = html.split('id="related-procedures-heading"')[1].split("</section>")[0]
        assert related.count("<li>") >= 7
        for name in ("Endovenous laser ablation", "Cardiac MRI", "Brain aneurysm"):
            assert name in related

    def test_author_is_an_interventional_radiologist_and_the_editor_is_staff(self):
        call_command("load_demo_data")
        article = ArticlePage.objects.get(slug="deep-vein-thrombosis")
        author, editor = article.credits.all()
        assert author.expert.primary_specialty.title == "Interventional radiology"
        assert editor.staff is not None and editor.expert is None
        # Reviewed by a clinician other than the author, from an approval of the live revision.
        approval = article.review_approval
        assert approval.revision_id == article.live_revision_id
        assert approval.expert is not None and approval.expert != author.expert
        assert approval.reviewer == approval.expert.user

    def test_demo_logins_are_refused_with_debug_off(self, settings):
        settings.DEBUG = False
        with pytest.raises(CommandError):
            call_command("load_demo_data", "--demo-logins")
        assert not get_user_model().objects.filter(username="admin").exists()

    def test_demo_logins_can_sign_in(self, client, settings):
        settings.DEBUG = True
        call_command("load_demo_data", "--demo-logins")
        assert client.login(username="admin", password="admin-demo")
        assert client.get("/admin/").status_code == 200
        assert client.login(username="editor", password="editor-demo")
        assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_without_factory_boy_the_command_says_which_extra_to_install(monkeypatch):
    """A site that installed the plugin without its [demo] extra has no factory-boy: the
    command says what to install instead of failing with an ImportError."""
    import sys

    monkeypatch.setitem(sys.modules, "factory", None)  # `import factory` now fails
    for name in (
        "medical_content.factories",
        "medical_content.management.commands.load_demo_data",
    ):
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.delattr("medical_content.factories", raising=False)  # `from . import` finds it
    pages_before = Page.objects.count()

    with pytest.raises(CommandError, match=r"wagtail-medical-publisher\[demo\]"):
        call_command("load_demo_data")
    assert Page.objects.count() == pages_before


@pytest.mark.django_db
def test_the_demo_site_follows_the_address_make_run_serves_it_on(client):
    """`make run PORT=8001` passes its address: canonical links point where the demo is."""
    call_command("load_demo_data", address="127.0.0.1:8001")
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8001)

    html = client.get("/articles/cardiac-mri-scan/", HTTP_HOST="127.0.0.1:8001").content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1:8001/articles/cardiac-mri-scan/">' in html

    call_command("load_demo_data", address="127.0.0.1:8001")  # a second run changes nothing
    assert Site.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["8001", "127.0.0.1:", "127.0.0.1:eighty", "localhost:70000"])
def test_an_address_that_is_not_host_colon_port_is_refused_before_anything_is_built(address):
    with pytest.raises(CommandError, match="HOST:PORT"):
        call_command("load_demo_data", address=address)
    assert not ArticlePage.objects.exists()
