"""The editorial roles and the clinical review workflow, wired to the article index.

The groups and the workflow arrive by data migration (0004). Page permissions and the
workflow's assignment belong to the article index, which may not exist when migrations run,
so `set_up_article_index` runs whenever an article index is created (any route: the admin,
`load_demo_data`, a test factory; the receiver is in `medical_content/signals.py`) and the
migration runs it for an index that already exists.
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage

EDITORS = "Editors"
PUBLISHERS = "Publishers"
MEDICAL_REVIEWERS = "Medical reviewers"
WORKFLOW_NAME = "Clinical review"
EDITORIAL_CHECK = "Editorial check"
CLINICAL_REVIEW = "Clinical review by a medical reviewer"

# Page permissions on the article index (and so on every article), by group. Editors write
# and submit; publishers also publish and schedule what has passed clinical review; medical
# reviewers need none: the workflow opens the editor to them while a review is theirs.
ARTICLE_INDEX_PERMISSIONS = {
    EDITORS: ["add_page", "change_page", "lock_page"],
    PUBLISHERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}


def set_up_article_index(index: Page) -> None:
    """Give the roles their permissions on `index` and send its articles through review.

    Idempotent; groups or a workflow that an administrator removed are left out, not
    recreated.
    """
    for group_name, codenames in ARTICLE_INDEX_PERMISSIONS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=codenames
        ):
            GroupPagePermission.objects.get_or_create(
                group=group, page=index, permission=permission
            )
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME, active=True).first()
    if workflow is not None:
        WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
