"""Run inside a fresh `wagtail start` host site that installed the wheel (by test_install.py,
through `manage.py shell`): builds a little content through the ORM, as a site developer's
own code or an editor would, fetches the pages with Django's test client and prints what a
reader would see as one JSON line. Nothing here may import the demo site or the tests.
"""

import json

from django.test import Client
from wagtail.models import Site

from medical_content.choices import CreditRole, ProcedureKind
from medical_content.models import (
    ArticleCredit,
    ArticleIndexPage,
    ArticlePage,
    ArticleProcedure,
    ExpertIndexPage,
    ExpertProfilePage,
    ExpertSpecialty,
    ProcedureIndexPage,
    ProcedurePage,
    SpecialtyIndexPage,
    SpecialtyPage,
)

home = Site.objects.get(is_default_site=True).root_page.specific


def child(parent, page):
    parent.add_child(instance=page)
    return page


specialties = child(home, SpecialtyIndexPage(title="Specialties", slug="specialties"))
vascular = child(
    specialties,
    SpecialtyPage(title="Vascular surgery", slug="vascular", summary="Veins and arteries."),
)
procedures = child(home, ProcedureIndexPage(title="Procedures", slug="procedures"))
duplex = child(
    procedures,
    ProcedurePage(
        title="Duplex ultrasound scan",
        slug="duplex-scan",
        kind=ProcedureKind.DIAGNOSTIC_TEST,
        specialty=vascular,
        summary="An ultrasound scan of blood flow in the veins.",
    ),
)
experts = child(home, ExpertIndexPage(title="Find an expert", slug="experts"))
expert = child(
    experts,
    ExpertProfilePage(
        title="Dr Ada Fictional",
        slug="ada-fictional",
        honorific="Dr",
        given_name="Ada",
        family_name="Fictional",
        job_title="Consultant vascular surgeon",
        short_bio="A fictional surgeon for the plugin's install test.",
        specialties=[ExpertSpecialty(specialty=vascular, sort_order=0)],
    ),
)
articles = child(home, ArticleIndexPage(title="Health articles", slug="articles"))
article = child(
    articles,
    ArticlePage(
        title="Varicose veins",
        slug="varicose-veins",
        standfirst="Why veins swell, and what can be done.",
        body=[
            {
                "type": "question",
                "value": {"question": "What are they?", "answer": "<p>Swollen veins.</p>"},
            }
        ],
        credits=[ArticleCredit(role=CreditRole.AUTHOR, expert=expert, sort_order=0)],
        related_procedures=[ArticleProcedure(procedure=duplex, sort_order=0)],
    ),
)

client = Client()
pages = {
    "home": "/",
    "article": article.url,
    "article_index": articles.url,
    "expert": expert.url,
    "procedure": duplex.url,
    "preferences": "/consent/preferences/",
}
result = {}
for name, url in pages.items():
    response = client.get(url)
    result[name] = {
        "url": url,
        "status": response.status_code,
        "html": response.content.decode() if response.status_code == 200 else "",
    }
print("HOST-RESULT " + json.dumps(result))
