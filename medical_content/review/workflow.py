"""What finishing a Wagtail workflow does (the WAGTAIL_FINISH_WORKFLOW_ACTION setting).

Kept apart, with no imports of Wagtail's models: Wagtail imports this while its own models
are still loading.
"""


def publish_approved(workflow_state, user=None) -> None:
    """WAGTAIL_FINISH_WORKFLOW_ACTION: publish what the workflow's last approver approved.

    Wagtail's default publishes as the approver and checks their publish permission, so a
    medical reviewer (who approves but holds no page permissions) could never finish a
    review. Here the workflow's approvals are the permission; articles still pass the
    clinical review check in `ArticlePage.publish`.
    """
    task_state = workflow_state.current_task_state
    if task_state is not None and task_state.revision_id:
        # The revision the last step approved (normally also the latest one).
        revision = task_state.revision
    else:
        revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
