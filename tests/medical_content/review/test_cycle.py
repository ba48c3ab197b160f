"""An overdue article is checked again without being rewritten, through the admin.

The editor submits the live article unchanged; a publisher and a medical reviewer approve;
readers then see the new review date and the notice goes, and the due date moves a year on.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from medical_content import factories
from medical_content.choices import CreditRole
from medical_content.review.roles import EDITORS, PUBLISHERS

pytestmark = pytest.mark.django_db


def _approve(client, page) -> None:
    page.refresh_from_db()
    state = page.current_workflow_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{state.pk}/", {"comment": "Still right."}
    )
    assert response.status_code == 302


def _edit_form(page) -> dict:
    """The editor's form as the browser would send it back, unchanged."""
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    credits = [
        {"id": c.pk, "role": c.role, "expert": c.expert_id or "", "staff": c.staff_id or ""}
        for c in page.credits.all()
    ]
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "standfirst": page.standfirst,
            "publication_date": page.publication_date.isoformat(),
            "next_review_due": "",
            "credits": inline_formset(credits, initial=len(credits)),
            "related_procedures": inline_formset([]),
            # The same question and answer the article was published with.
            "body": streamfield(
                [("question", {"question": "What is it?", "answer": rich_text("<p>A.</p>")})]
            ),
            "action-submit": "1",
        }
    )


def test_an_overdue_article_is_rechecked_and_its_notice_goes(
    client, article_index, django_user_model
):
    author = factories.ExpertProfilePageFactory()
    reviewer_profile = factories.ExpertProfilePageFactory(given_name="Rene", family_name="Osei")
    article = factories.ArticlePageFactory(
        parent=article_index,
        credits=factories.credits((CreditRole.AUTHOR, author)),
        body=factories.stream_data(
            ("question", {"question": "What is it?", "answer": "<p>A.</p>"})
        ),
    )
    long_ago = timezone.now() - datetime.timedelta(days=400)
    old = factories.approve_and_publish(article, reviewer_profile, approved_at=long_ago)
    html = client.get(article.url).content.decode()
    assert re.search(r'<p class="review-notice" data-review-due="[\d-]+">', html)  # overdue

    editor = django_user_model.objects.create_user("ed", password="x")
    editor.groups.add(Group.objects.get(name=EDITORS))
    publisher = django_user_model.objects.create_user("pub", password="x")
    publisher.groups.add(Group.objects.get(name=PUBLISHERS))

    client.force_login(editor)
    response = client.post(f"/admin/pages/{article.pk}/edit/", _edit_form(article))
    assert response.status_code == 302, response.content.decode()[:2000]
    client.force_login(publisher)
    _approve(client, article)
    client.force_login(factories.reviewer_login(reviewer_profile))
    _approve(client, article)
    client.logout()

    article.refresh_from_db()
    today = timezone.localdate()
    assert article.review_approval != old
    assert article.review_approval.approved_on == today
    assert article.review_approval.next_review_due == today + datetime.timedelta(days=365)
    html = client.get(article.url).content.decode()
    assert f'on <time datetime="{today:%Y-%m-%d}">' in html
    assert re.search(r'<p class="review-notice" data-review-due="[\d-]+" hidden>', html)
