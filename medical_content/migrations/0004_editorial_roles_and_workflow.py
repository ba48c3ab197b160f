"""The editorial roles and the clinical review workflow.

- "Publishers" (new): what Wagtail's default "Moderators" could do (publish any page, its
  image and document permissions) plus staff members and patient ratings.
- "Medical reviewers" (new): admin access only; the workflow opens articles to them.
- "Editors" (Wagtail's default) keeps add/edit/lock on the page tree and never publishes.
- Wagtail's default workflow ("Moderators approval", on the root page) becomes "Publisher
  approval", approved by Publishers; it still covers experts, procedures and specialties.
- "Moderators" is then deleted if nobody is in it (on a fresh database nobody is); if people
  are, it is left alone for an administrator to empty.
- The "Clinical review" workflow: an editorial check by Publishers, then a clinical review by
  Medical reviewers. It and the page permissions are put on the article index if one exists;
  `medical_content.editorial.set_up_article_index` does the same for an index created later.
- Credits typed as "medical reviewer" are deleted: readers are told who reviewed an article
  only from its clinical approval.
"""

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


def set_up(apps, schema_editor):
    _create_permissions(apps)
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
    if moderators is not None and not moderators.user_set.exists():
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
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(set_up, migrations.RunPython.noop)]
