"""The editorial roles and the clinical review workflow.

- "Publishers" (new): what Wagtail's default "Moderators" could do (publish any page, its
  image and document permissions) plus staff members and patient ratings.
- "Medical reviewers" (new): admin access only; the workflow opens articles to them.
- "Editors" (Wagtail's default) keeps add/edit/lock on the page tree and never publishes.
- Wagtail's default workflow ("Moderators approval", on the root page) becomes "Publisher
  approval", approved by Publishers; it still covers experts, procedures and specialties.
- Members of "Moderators" become Publishers (they could publish and approve before), and the
  then empty "Moderators" group is deleted.
- The "Clinical review" workflow: an editorial check by Publishers, then a clinical review by
  Medical reviewers. It and the page permissions are put on the article index if one exists;
  `medical_content.review.roles.set_up_article_index` does the same for an index created later.
- Live articles that credited a "medical reviewer" keep their review: the credit and the
  typed last reviewed date become a clinical approval of the live revision, marked as
  imported (no reviewer login; the comment says where it came from). The typed credits are
  then deleted: from now on readers are told who reviewed an article only from its clinical
  approval. (0005 drops the typed date.)
"""

import datetime

from django.contrib.auth.management import create_permissions
from django.db import migrations

SNIPPET_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("staffmember", "patientrating")
    for action in ("add", "change", "delete", "view")
]
PUBLISHER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
ARTICLE_INDEX_PERMISSIONS = {
    "Editors": ["add_page", "change_page", "lock_page"],
    "Publishers": PUBLISHER_PAGE_PERMISSIONS,
}


def _create_permissions(apps) -> None:
    # On a fresh database Django creates permissions after all migrations; create them now.
    for label in ("medical_content", "wagtailcore"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


IMPORTED = (
    "Imported: the medical reviewer credited, and the last reviewed date typed, before "
    "clinical review records existed."
)


def import_typed_reviews(apps) -> None:
    from medical_content.review.rules import fingerprint

    ArticlePage = apps.get_model("medical_content", "ArticlePage")
    ArticleCredit = apps.get_model("medical_content", "ArticleCredit")
    ExpertProfilePage = apps.get_model("medical_content", "ExpertProfilePage")
    ClinicalApproval = apps.get_model("medical_content", "ClinicalApproval")
    Revision = apps.get_model("wagtailcore", "Revision")
    for article in ArticlePage.objects.filter(live=True, live_revision__isnull=False):
        credit = (
            ArticleCredit.objects.filter(
                page_id=article.pk, role="medical_reviewer", expert__isnull=False
            )
            .order_by("sort_order", "pk")
            .first()
        )
        if credit is None or ClinicalApproval.objects.filter(
            revision_id=article.live_revision_id
        ).exists():
            continue
        expert = ExpertProfilePage.objects.get(pk=credit.expert_id)
        name = " ".join(
            part for part in (expert.honorific, expert.given_name, expert.family_name) if part
        )
        reviewed_on = article.last_reviewed
        due = article.next_review_due
        if due is None or due <= reviewed_on:
            due = reviewed_on + datetime.timedelta(days=365)
        approval = ClinicalApproval.objects.create(
            page_id=article.pk,
            revision_id=article.live_revision_id,
            reviewer=None,
            expert_id=expert.pk,
            reviewer_name=name,
            approved_at=datetime.datetime.combine(
                reviewed_on, datetime.time(12), tzinfo=datetime.UTC
            ),
            next_review_due=due,
            comment=IMPORTED,
            fingerprint=fingerprint(Revision.objects.get(pk=article.live_revision_id).content),
        )
        ArticlePage.objects.filter(pk=article.pk).update(review_approval=approval)


def set_up(apps, schema_editor):
    _create_permissions(apps)
    import_typed_reviews(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ArticleCredit = apps.get_model("medical_content", "ArticleCredit")
    ArticleIndexPage = apps.get_model("medical_content", "ArticleIndexPage")

    ArticleCredit.objects.filter(role="medical_reviewer").delete()

    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    publishers, _ = Group.objects.get_or_create(name="Publishers")
    reviewers, _ = Group.objects.get_or_create(name="Medical reviewers")
    publishers.permissions.add(access_admin)
    reviewers.permissions.add(access_admin)
    publishers.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="medical_content", codename__in=SNIPPET_PERMISSIONS
        )
    )

    root = Page.objects.filter(depth=1).first()
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is not None:
        publishers.permissions.add(*moderators.permissions.all())
        # They could publish and approve before; they keep doing so, as Publishers.
        publishers.user_set.add(*moderators.user_set.all())
        moderators.user_set.clear()
    if root is not None:
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PUBLISHER_PAGE_PERMISSIONS
        ):
            GroupPagePermission.objects.get_or_create(
                group=publishers, page=root, permission=permission
            )

    # Wagtail's default workflow: approved by Publishers instead of Moderators.
    for task in GroupApprovalTask.objects.filter(name="Moderators approval"):
        task.name = "Publisher approval"
        task.save()
        task.groups.add(publishers)
        if moderators is not None:
            task.groups.remove(moderators)
    Workflow.objects.filter(name="Moderators approval").update(name="Publisher approval")
    if moderators is not None:
        moderators.delete()

    workflow, created = Workflow.objects.get_or_create(name="Clinical review")
    if created:
        steps = [
            ("editorialchecktask", "Editorial check", publishers),
            ("clinicalreviewtask", "Clinical review by a medical reviewer", reviewers),
        ]
        for order, (model_name, name, group) in enumerate(steps):
            model = apps.get_model("medical_content", model_name)
            content_type, _ = ContentType.objects.get_or_create(
                app_label="medical_content", model=model_name
            )
            task = model.objects.create(name=name, content_type=content_type, active=True)
            task.groups.add(group)
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)

    for index in ArticleIndexPage.objects.all():
        WorkflowPage.objects.update_or_create(page_id=index.pk, defaults={"workflow": workflow})
        for group_name, codenames in ARTICLE_INDEX_PERMISSIONS.items():
            group = Group.objects.filter(name=group_name).first()
            if group is None:
                continue
            for permission in Permission.objects.filter(
                content_type__app_label="wagtailcore", codename__in=codenames
            ):
                GroupPagePermission.objects.get_or_create(
                    group=group, page_id=index.pk, permission=permission
                )


class Migration(migrations.Migration):
    dependencies = [
        ("medical_content", "0003_clinical_review_records"),
        # Wagtail 7.4's last migration (8.0's 0098 adds API tokens, unused here).
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(set_up, migrations.RunPython.noop)]
