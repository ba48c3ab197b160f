"""Admin URLs and page-reading helpers shared by the editorial workflow tests."""

import html as html_lib
import re

from wagtail.models import WorkflowState


def add_url(index) -> str:
    return f"/admin/pages/add/medical_content/articlepage/{index.pk}/"


def current_task(page) -> str | None:
    state = WorkflowState.objects.filter(
        object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS
    ).first()
    return state.current_task_state.task.name if state else None


def edit_url(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


def messages(html: str) -> str:
    """The admin's messages (success, warning, error) as the user reads them."""
    match = re.search(r'<div class="messages".*?</ul>', html, re.S)
    if not match:
        return ""
    items = re.findall(r'<li class="[^"]*">(.*?)</li>', match.group(0), re.S)
    return " ".join(text(re.sub(r"<button.*?</button>", " ", item, flags=re.S)) for item in items)


def review_buttons(html: str) -> dict[str, str]:
    """The workflow actions an editor offers that post to Wagtail's workflow action view (the
    locked editor's, like the dashboard's), by label: their URLs."""
    return {
        label.strip(): url
        for url, label in re.findall(
            r'<button[^>]*data-workflow-action-url="([^"]+)"[^>]*>(?:\s*<svg.*?</svg>)?([^<]*)<',
            html,
            re.S,
        )
    }


def offers_approve(html: str) -> bool:
    """Whether the editor offers "Approve": Wagtail's button on an editable page, or the
    review buttons of a page its review has locked."""
    return 'data-workflow-action-name="approve"' in html or "Approve" in review_buttons(html)


def text(html: str) -> str:
    """What a person reads: tags dropped, whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip())


def workflow_action_url(page, action: str = "approve") -> str:
    task_state = page.current_workflow_state.current_task_state
    return f"/admin/pages/workflow/action/{page.pk}/{action}/{task_state.pk}/"
